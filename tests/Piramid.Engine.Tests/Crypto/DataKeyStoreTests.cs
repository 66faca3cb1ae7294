using Piramid.Engine.Crypto;
using Piramid.Engine.Storage;
using Piramid.Engine.Tests.Storage;
using Piramid.KeyWrapping;

namespace Piramid.Engine.Tests.Crypto;

public sealed class DataKeyStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void OpenOrCreate_Twice_ReturnsTheSameKeyAndStoresItOnlyWrapped()
    {
        using var platform = PlatformKey.FromBase64(PlatformKey.GenerateBase64());
        using var first = DataKeyStore.OpenOrCreate(_temp.Path, platform);
        using var second = DataKeyStore.OpenOrCreate(_temp.Path, platform);

        Assert.Equal(first.Bytes.ToArray(), second.Bytes.ToArray());
        var stored = File.ReadAllBytes(_temp.Combine(DataKeyStore.FileName));
        Assert.Equal(80, stored.Length);
        Assert.True(stored.AsSpan().IndexOf(first.Bytes) < 0, "the clear data key must never be written");
        Assert.Equal([DataKeyStore.FileName], Directory.GetFiles(_temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void OpenOrCreate_WrongPlatformKey_ThrowsWrongPlatformKeyException()
    {
        using (var platform = PlatformKey.FromBase64(PlatformKey.GenerateBase64()))
        using (DataKeyStore.OpenOrCreate(_temp.Path, platform))
        {
        }

        using var other = PlatformKey.FromBase64(PlatformKey.GenerateBase64());
        var e = Assert.Throws<WrongPlatformKeyException>(() => DataKeyStore.OpenOrCreate(_temp.Path, other));
        Assert.Contains("the platform key does not match the key that encrypted this data directory", e.Message);
    }

    [Fact]
    public void Unwrap_DamagedWrappedKey_ThrowsStorageCorrupted()
    {
        using var platform = PlatformKey.FromBase64(PlatformKey.GenerateBase64());
        using var data = DataKey.Generate();
        var wrapped = DataKeyStore.Wrap(data, platform);
        wrapped[40] ^= 1;

        Assert.Throws<StorageCorruptedException>(() => DataKeyStore.Unwrap(wrapped, platform));
    }
}
