namespace Piramid.Engine.Search.Quantization;

/// <summary>
/// The int8 codes of an index's slots in one contiguous <c>byte[]</c> with a fixed stride, plus the squared
/// norm of each decoded vector (the L2 estimate needs <c>||x̂||^2</c>: <c>||q - x||^2 ≈ ||q||^2 - 2 q·x̂ + ||x̂||^2</c>).
/// </summary>
/// <remarks>
/// Not synchronized: the caller's lock covers every call. <see cref="EnsureCapacity"/> may replace
/// <see cref="Data"/> and <see cref="SquaredNorms"/>, so spans and array references taken from them must not
/// outlive the read lock they were taken under. Slots never written decode as code 0 with norm 0.
/// </remarks>
internal sealed class Int8VectorStore
{
    /// <summary>Codes start on a 64-byte multiple (a cache line, one Vector512) within <see cref="Data"/>.</summary>
    public const int StrideAlignment = 64;

    private byte[] _data;
    private float[] _squaredNorms;

    /// <summary>Creates a store for codes of <paramref name="quantizer"/>, with room for <paramref name="initialCapacity"/> slots.</summary>
    public Int8VectorStore(ScalarQuantizer quantizer, int initialCapacity = 1024)
    {
        ArgumentNullException.ThrowIfNull(quantizer);
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        Quantizer = quantizer;

        // Padding bytes after each code stay zero forever: Set writes only the first Dimension bytes.
        Stride = (quantizer.Dimension + StrideAlignment - 1) / StrideAlignment * StrideAlignment;
        _data = new byte[(long)Math.Min(initialCapacity, MaxSlots) * Stride];
        _squaredNorms = new float[_data.Length / Stride];
    }

    /// <summary>The quantizer that encodes and scores the codes.</summary>
    public ScalarQuantizer Quantizer { get; }

    /// <summary>The number of dimensions, i.e. meaningful bytes per code.</summary>
    public int Dimension => Quantizer.Dimension;

    /// <summary>Bytes from one code to the next: <see cref="Dimension"/> rounded up to a multiple of 64.</summary>
    public int Stride { get; }

    /// <summary>The number of slots allocated.</summary>
    public int Capacity => _squaredNorms.Length;

    /// <summary>The raw codes, slot <c>s</c> at <c>[s * Stride, s * Stride + Dimension)</c>, for hot loops.</summary>
    public byte[] Data => _data;

    /// <summary><c>||x̂||^2</c> per slot, for hot loops.</summary>
    public float[] SquaredNorms => _squaredNorms;

    // Array.MaxLength bounds the byte array, not the slot count.
    private int MaxSlots => Array.MaxLength / Stride;

    /// <summary>Grows (by doubling, at least to <paramref name="slots"/>) so slots <c>[0, slots)</c> exist.</summary>
    public void EnsureCapacity(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slots);
        if (slots <= Capacity)
        {
            return;
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(slots, MaxSlots);
        int capacity = (int)Math.Clamp(2L * Capacity, slots, MaxSlots);
        var data = LargeArrays.Allocate<byte>(capacity * Stride);
        _data.AsSpan().CopyTo(data);
        var norms = new float[capacity];
        _squaredNorms.AsSpan().CopyTo(norms);
        _data = data;
        _squaredNorms = norms;
    }

    /// <summary>Encodes <paramref name="vector"/> into <paramref name="slot"/> and records its decoded norm.</summary>
    public void Set(int slot, ReadOnlySpan<float> vector)
    {
        CheckSlot(slot);
        var code = _data.AsSpan(slot * Stride, Dimension);
        Quantizer.Encode(vector, code);
        _squaredNorms[slot] = Quantizer.DecodedSquaredNorm(code);
    }

    /// <summary>
    /// Puts saved codes and their norms into slots <c>[first, first + norms.Length)</c> as they were written
    /// (<see cref="Dimension"/> bytes per slot, no padding), so a checkpoint load encodes nothing again.
    /// </summary>
    public void Restore(int first, ReadOnlySpan<byte> codes, ReadOnlySpan<float> norms)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        if (codes.Length != (long)norms.Length * Dimension)
        {
            throw new ArgumentException($"{norms.Length} slots need {norms.Length * Dimension} code bytes, not {codes.Length}.", nameof(codes));
        }

        EnsureCapacity(first + norms.Length);
        for (var i = 0; i < norms.Length; i++)
        {
            codes.Slice(i * Dimension, Dimension).CopyTo(_data.AsSpan((first + i) * Stride, Dimension));
        }

        norms.CopyTo(_squaredNorms.AsSpan(first));
    }

    /// <summary>The code of <paramref name="slot"/> (<see cref="Dimension"/> bytes, without the padding).</summary>
    public ReadOnlySpan<byte> Codes(int slot)
    {
        CheckSlot(slot);
        return _data.AsSpan(slot * Stride, Dimension);
    }

    /// <summary><c>||x̂||^2</c> of the decoded vector in <paramref name="slot"/>.</summary>
    public float SquaredNorm(int slot)
    {
        CheckSlot(slot);
        return _squaredNorms[slot];
    }

    private void CheckSlot(int slot)
    {
        if ((uint)slot >= (uint)Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(slot), slot, $"Slot outside [0, {Capacity}).");
        }
    }
}
