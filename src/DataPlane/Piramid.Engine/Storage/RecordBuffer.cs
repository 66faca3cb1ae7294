using System.Buffers;

namespace Piramid.Engine.Storage;

/// <summary>A growable byte buffer rented from the shared pool; each rented array is returned exactly once.</summary>
internal sealed class RecordBuffer : IDisposable
{
    private byte[] _array;

    public RecordBuffer(int initialCapacity) => _array = ArrayPool<byte>.Shared.Rent(initialCapacity);

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _array.AsSpan(0, Length);

    /// <summary>Reserves <paramref name="count"/> bytes at the end and returns them for writing.</summary>
    public Span<byte> Reserve(int count)
    {
        if (_array.Length - Length < count)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Max(_array.Length * 2, Length + count));
            _array.AsSpan(0, Length).CopyTo(grown);
            var old = _array;
            _array = grown;
            ArrayPool<byte>.Shared.Return(old);
        }

        var span = _array.AsSpan(Length, count);
        Length += count;
        return span;
    }

    public void Clear() => Length = 0;

    public void Dispose()
    {
        var array = Interlocked.Exchange(ref _array, []);
        if (array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array);
        }

        Length = 0;
    }
}
