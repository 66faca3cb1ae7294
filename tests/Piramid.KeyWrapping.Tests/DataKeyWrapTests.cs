namespace Piramid.KeyWrapping.Tests;

/// <summary>The wrapped data key format: exact round trip, the wrong platform key named, every damage refused.</summary>
public sealed class DataKeyWrapTests
{
    private static readonly byte[] Data = Enumerable.Range(0, 32).Select(i => (byte)(i * 3)).ToArray();

    [Fact]
    public void WrapThenUnwrap_GivesBackTheKey_AndTheWrappedBytesHoldNoClearKey()
    {
        using var platform = PlatformKey.FromBase64(PlatformKey.GenerateBase64());
        var wrapped = DataKeyWrap.Wrap(Data, platform);
        Assert.Equal(DataKeyWrap.WrappedLength, wrapped.Length);
        Assert.True(wrapped.AsSpan().IndexOf(Data) < 0, "the clear data key must never be in the wrapped form");

        var clear = new byte[DataKeyWrap.KeyLength];
        DataKeyWrap.Unwrap(wrapped, platform, clear);
        Assert.Equal(Data, clear);
    }

    [Fact]
    public void WrapNew_TwiceGivesTwoKeys()
    {
        using var platform = PlatformKey.FromBase64(PlatformKey.GenerateBase64());
        var first = new byte[32];
        var second = new byte[32];
        DataKeyWrap.Unwrap(DataKeyWrap.WrapNew(platform), platform, first);
        DataKeyWrap.Unwrap(DataKeyWrap.WrapNew(platform), platform, second);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Unwrap_OtherPlatformKey_ThrowsWrongPlatformKey()
    {
        using var platform = PlatformKey.FromBase64(PlatformKey.GenerateBase64());
        using var other = PlatformKey.FromBase64(PlatformKey.GenerateBase64());
        var wrapped = DataKeyWrap.Wrap(Data, platform);
        var e = Assert.Throws<WrongPlatformKeyException>(() => DataKeyWrap.Unwrap(wrapped, other, new byte[32], "dir/datakey.wrapped"));
        Assert.StartsWith("dir/datakey.wrapped: the platform key does not match", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unwrap_EveryBitFlipAndEveryTruncation_IsRefusedAndLeavesNoKey()
    {
        using var platform = PlatformKey.FromBase64(PlatformKey.GenerateBase64());
        var good = DataKeyWrap.Wrap(Data, platform);
        for (var bit = 0; bit < good.Length * 8; bit++)
        {
            var damaged = (byte[])good.Clone();
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            var clear = new byte[32];
            // CRC-32C catches every single-bit flip, so damage is never mistaken for another platform key.
            var e = Assert.Throws<WrappedKeyCorruptedException>(() => DataKeyWrap.Unwrap(damaged, platform, clear, "w"));
            Assert.StartsWith("w: ", e.Message, StringComparison.Ordinal);
            Assert.Equal(new byte[32], clear);
        }

        for (var length = 0; length < good.Length; length++)
        {
            var e = Assert.Throws<WrappedKeyCorruptedException>(() => DataKeyWrap.Unwrap(good.AsSpan(0, length), platform, new byte[32], "w"));
            Assert.Contains("at offset 0", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Wrap_KeyOfWrongLength_IsRefused()
    {
        using var platform = PlatformKey.FromBase64(PlatformKey.GenerateBase64());
        Assert.Throws<ArgumentException>(() => DataKeyWrap.Wrap(new byte[31], platform));
    }
}
