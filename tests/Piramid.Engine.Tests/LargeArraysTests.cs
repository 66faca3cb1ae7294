namespace Piramid.Engine.Tests;

/// <summary>The engine's large arrays (<see cref="LargeArrays"/>): sizes, zeroing, and whole-file reads into a reused buffer.</summary>
public sealed class LargeArraysTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("piramid-large-arrays-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4 * 1024 * 1024 + 3)] // spans whole 2 MiB pages, which are advised
    public void Allocate_IsZeroedAndPinned_AtAnySize(int length)
    {
        var reused = LargeArrays.AllocateUninitialized<int>(length);
        reused.AsSpan().Fill(-1);
        var array = LargeArrays.Allocate<int>(length);
        Assert.Equal(length, array.Length);
        Assert.True(array.AsSpan().IndexOfAnyExcept(0) < 0);
        Assert.Equal(length, LargeArrays.AllocateUninitialized<byte>(length).Length);
    }

    [Fact]
    public void ReadInto_ReadsEachFileWhole_GrowingTheBufferOnlyWhenItIsTooSmall()
    {
        var random = new Random(9);
        byte[] Write(string name, int size)
        {
            var content = new byte[size];
            random.NextBytes(content);
            File.WriteAllBytes(Path.Combine(_directory, name), content);
            return content;
        }

        var large = Write("large", 5 * 1024 * 1024 + 17);
        var small = Write("small", 1000);
        var empty = Write("empty", 0);
        byte[] buffer = [];

        Assert.Equal(large.Length, LargeArrays.ReadInto(Path.Combine(_directory, "large"), ref buffer));
        Assert.Equal(large, buffer.AsSpan(0, large.Length).ToArray());
        var grown = buffer;

        Assert.Equal(small.Length, LargeArrays.ReadInto(Path.Combine(_directory, "small"), ref buffer));
        Assert.Same(grown, buffer);
        Assert.Equal(small, buffer.AsSpan(0, small.Length).ToArray());
        Assert.Equal(0, LargeArrays.ReadInto(Path.Combine(_directory, "empty"), ref buffer));
        Assert.Empty(empty);
    }
}
