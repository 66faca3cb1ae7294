using System.Text;
using Piramid.Engine.Crypto;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Tests.Storage;

public sealed class EncryptedFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly DataKey _key = DataKey.Generate();

    public void Dispose()
    {
        _key.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void WriteAtomic_ThenRead_RoundTripsAndLeavesNoTempFile()
    {
        var path = _temp.Combine("manifest.bin");
        EncryptedFile.WriteAtomic(path, _key, FileKind.Manifest, "v1"u8);
        EncryptedFile.WriteAtomic(path, _key, FileKind.Manifest, "version two"u8);

        Assert.Equal("version two"u8.ToArray(), EncryptedFile.Read(path, _key));
        Assert.Equal(["manifest.bin"], Directory.GetFiles(_temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Read_FlippedByte_ThrowsNamingFileAndOffset()
    {
        var path = _temp.Combine("manifest.bin");
        EncryptedFile.WriteAtomic(path, _key, FileKind.Manifest, new byte[64]);
        var bytes = File.ReadAllBytes(path);
        bytes[60] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<StorageCorruptedException>(() => EncryptedFile.Read(path, _key));
        Assert.Contains(path, e.Message);
        Assert.Contains("checksum mismatch at offset 32", e.Message);
    }

    [Fact]
    public void Read_WrongDataKey_ThrowsWrongKeyMessage()
    {
        var path = _temp.Combine("manifest.bin");
        EncryptedFile.WriteAtomic(path, _key, FileKind.Manifest, Encoding.UTF8.GetBytes("content"));
        using var other = DataKey.Generate();

        var e = Assert.Throws<StorageCorruptedException>(() => EncryptedFile.Read(path, other));
        Assert.Contains("does not decrypt with this data key", e.Message);
    }
}
