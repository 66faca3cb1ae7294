using System.IO.MemoryMappedFiles;

namespace Piramid.Engine.Storage;

/// <summary>
/// A file mapped read-only, read as spans. Its pages come straight from the page cache: reading a large file this way
/// costs no fresh memory, where a read into an array first zero-fills a new page for every byte (on this kind of VM,
/// about 11 µs a page; docs/design/hibernation.md, "Page faults").
/// </summary>
internal sealed unsafe class MappedFile : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private bool _disposed;

    private MappedFile(MemoryMappedFile map, MemoryMappedViewAccessor view, long length)
    {
        _map = map;
        _view = view;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + view.PointerOffset;
        Length = length;
    }

    /// <summary>The file's length (the view's may be rounded up to whole pages).</summary>
    public long Length { get; }

    /// <summary>Maps the whole file at <paramref name="path"/>, or returns null when it is empty (nothing to map).</summary>
    public static MappedFile? Open(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var length = RandomAccess.GetLength(handle);
        if (length == 0)
        {
            return null;
        }

        var map = MemoryMappedFile.CreateFromFile(handle, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        try
        {
            // The mapping outlives the handle closed here.
            return new MappedFile(map, map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read), length);
        }
        catch
        {
            map.Dispose();
            throw;
        }
    }

    /// <summary><paramref name="length"/> bytes from <paramref name="offset"/>; the caller keeps within <see cref="Length"/>.</summary>
    public ReadOnlySpan<byte> Bytes(long offset, int length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + length, Length);
        return new ReadOnlySpan<byte>(_base + offset, length);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }
}
