namespace Piramid.KeyWrapping.Tests;

public sealed class PlatformKeyTests : IDisposable
{
    private readonly ScratchDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void FromBase64_SixteenBytes_ThrowsSayingTheLength()
    {
        var e = Assert.Throws<PlatformKeyException>(() => PlatformKey.FromBase64(Convert.ToBase64String(new byte[16])));
        Assert.Contains("16 bytes but must be exactly 32", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromBase64_NotBase64_Throws() =>
        Assert.Throws<PlatformKeyException>(() => PlatformKey.FromBase64("not base64 !!"));

    [Fact]
    public void LoadFile_Missing_ThrowsNamingThePath()
    {
        var path = _temp.Combine("absent.key");
        var e = Assert.Throws<PlatformKeyException>(() => PlatformKey.LoadFile(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFile_WithSurroundingWhitespace_LoadsTheSameKey()
    {
        var text = PlatformKey.GenerateBase64();
        var path = _temp.Combine("platform.key");
        File.WriteAllText(path, "  " + text + "\n");
        using var fromFile = PlatformKey.LoadFile(path);
        using var fromText = PlatformKey.FromBase64(text);
        var data = Enumerable.Range(0, 32).Select(i => (byte)(i + 1)).ToArray();

        var unwrapped = new byte[32];
        DataKeyWrap.Unwrap(DataKeyWrap.Wrap(data, fromFile), fromText, unwrapped);
        Assert.Equal(data, unwrapped);
    }
}
