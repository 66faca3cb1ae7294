using System.Runtime.InteropServices;

namespace Piramid.Engine.Tests;

/// <summary>
/// The engine's large arrays (<see cref="LargeArrays"/>): sizes, zeroing, whole-file reads into a reused buffer, and
/// faulting pages in on another thread.
/// </summary>
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

    [Fact]
    public async Task PrefaultInBackground_ChangesNoByte_WhileAnotherThreadWritesTheSamePages()
    {
        // Fresh memory of its own: the garbage collector may hand out pages another test touched already.
        const int Length = 48 * 1024 * 1024;
        var address = Mmap(0, Length, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        Assert.NotEqual(-1, address);
        try
        {
            var range = new PinnedRange(new object[1], (nuint)address, Length);
            Assert.True(ResidentShare(range) < 0.5, "a fresh mapping should not be resident before it is touched");

            // The writer fills the memory from its start while the pages are faulted in beside it, as a checkpoint load does.
            var prefault = LargeArrays.PrefaultInBackground([range]);
            var block = new byte[997];
            for (var i = 0; i < Length; i += block.Length)
            {
                Array.Fill(block, (byte)(i % 251));
                Marshal.Copy(block, 0, address + i, Math.Min(block.Length, Length - i));
            }

            await prefault;
            var bytes = new byte[Length];
            Marshal.Copy(address, bytes, 0, Length);
            for (var i = 0; i < Length; i += block.Length)
            {
                Assert.True(bytes.AsSpan(i, Math.Min(block.Length, Length - i)).IndexOfAnyExcept((byte)(i % 251)) < 0, $"bytes at {i} changed");
            }
        }
        finally
        {
            Assert.Equal(0, Munmap(address, Length));
        }
    }

    [Fact]
    public async Task PrefaultInBackground_FaultsInEveryWholePage_AndLeavesItZero()
    {
        const int Length = 16 * 1024 * 1024;
        var address = Mmap(0, Length, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        Assert.NotEqual(-1, address);
        try
        {
            var range = new PinnedRange(new object[1], (nuint)address, Length);
            Assert.Equal(0.0, ResidentShare(range));
            await LargeArrays.PrefaultInBackground([range with { Length = Length / 2 }, range with { Address = range.Address + (Length / 2), Length = Length / 2 }]);
            Assert.Equal(1.0, ResidentShare(range));
            var bytes = new byte[Length];
            Marshal.Copy(address, bytes, 0, Length);
            Assert.True(bytes.AsSpan().IndexOfAnyExcept((byte)0) < 0);
        }
        finally
        {
            Assert.Equal(0, Munmap(address, Length));
        }
    }

    [Fact]
    public void PrefaultInBackground_LeavesRangesUnder8MiBToTheCaller()
    {
        var small = LargeArrays.Allocate<byte>(4 * 1024 * 1024);
        Assert.True(LargeArrays.PrefaultInBackground([LargeArrays.RangeOf(small, 0, small.Length)]).IsCompletedSuccessfully);
    }

    [Fact]
    public void RangeOf_IsTheElementsMemory_AndRefusesRangesOutsideTheArray()
    {
        var array = LargeArrays.Allocate<float>(1000);
        var range = LargeArrays.RangeOf(array, 10, 20);
        Assert.Same(array, range.Owner);
        Assert.Equal((nuint)(20 * sizeof(float)), range.Length);
        Assert.Equal(LargeArrays.RangeOf(array, 0, 0).Address + (nuint)(10 * sizeof(float)), range.Address);
        Assert.Throws<ArgumentOutOfRangeException>(() => LargeArrays.RangeOf(array, 990, 11));
        Assert.Throws<ArgumentOutOfRangeException>(() => LargeArrays.RangeOf(array, -1, 1));
    }

    // The share of the range's whole pages that are in memory (mincore).
    private static double ResidentShare(PinnedRange range)
    {
        var page = (nuint)Environment.SystemPageSize;
        var first = (range.Address + page - 1) & ~(page - 1);
        var end = (range.Address + range.Length) & ~(page - 1);
        var pages = (int)((end - first) / page);
        var vector = new byte[pages];
        Assert.Equal(0, Mincore(first, end - first, vector));

        return vector.Count(b => (b & 1) == 1) / (double)pages;
    }

    private const int ProtRead = 1;
    private const int ProtWrite = 2;
    private const int MapPrivate = 2;
    private const int MapAnonymous = 0x20;

    [DllImport("libc", EntryPoint = "mmap")]
    private static extern nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [DllImport("libc", EntryPoint = "munmap")]
    private static extern int Munmap(nint address, nuint length);

    [DllImport("libc", EntryPoint = "mincore")]
    private static extern int Mincore(nuint address, nuint length, byte[] vector);
}
