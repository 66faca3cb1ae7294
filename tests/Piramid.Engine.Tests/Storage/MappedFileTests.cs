using Piramid.Engine.Storage;

namespace Piramid.Engine.Tests.Storage;

/// <summary>The read-only mapping the checkpoint and the covered log segments are read through.</summary>
public sealed class MappedFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(4095)]
    [InlineData(4097)]
    [InlineData(300_001)]
    public void Bytes_AnyRange_AreTheFilesBytes(int length)
    {
        var content = new byte[length];
        new Random(length).NextBytes(content);
        var path = Path.Combine(_temp.Path, "file");
        File.WriteAllBytes(path, content);

        using var file = MappedFile.Open(path)!;

        Assert.Equal(length, file.Length);
        Assert.True(file.Bytes(0, length).SequenceEqual(content));
        var middle = length / 3;
        Assert.True(file.Bytes(middle, length - middle).SequenceEqual(content.AsSpan(middle)));
    }

    [Fact]
    public void Bytes_PastTheEnd_Throws_InsteadOfReadingTheRestOfThePage()
    {
        var path = Path.Combine(_temp.Path, "file");
        File.WriteAllBytes(path, new byte[100]);
        using var file = MappedFile.Open(path)!;

        Assert.Throws<ArgumentOutOfRangeException>(() => file.Bytes(50, 51).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => file.Bytes(-1, 1).Length);
    }

    [Fact]
    public void Open_AnEmptyFile_IsNull()
    {
        var path = Path.Combine(_temp.Path, "empty");
        File.WriteAllBytes(path, []);

        Assert.Null(MappedFile.Open(path));
    }

    [Fact]
    public void Bytes_AfterDispose_Throws()
    {
        var path = Path.Combine(_temp.Path, "file");
        File.WriteAllBytes(path, new byte[10]);
        var file = MappedFile.Open(path)!;
        file.Dispose();

        Assert.Throws<ObjectDisposedException>(() => file.Bytes(0, 1).Length);
    }
}
