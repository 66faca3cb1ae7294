using System.Numerics.Tensors;

namespace Piramid.Engine.Search.Quantization;

/// <summary>
/// Per-dimension affine uint8 codes: <c>x[i] ≈ Offset[i] + Scale[i] * code[i]</c>, code 0..255. Immutable once
/// trained, so one instance is shared by every reader of an index without locking.
/// </summary>
/// <remarks>
/// Scoring is asymmetric: stored vectors are codes, the query stays float until <see cref="PrepareQuery"/>
/// folds the per-dimension scales into one signed byte weight per dimension. Then
/// <c>dot(q, x̂) = sum q[i] Offset[i] + sum (q[i] Scale[i]) code[i] ≈ bias + scale * DotU8I8(code, weights)</c>.
/// The format and error analysis are in docs/design/int8-quantization.md.
/// </remarks>
internal sealed partial class ScalarQuantizer
{
    /// <summary>The largest code: codes use the full unsigned byte.</summary>
    public const int MaxCode = 255;

    /// <summary>The largest query weight magnitude; -128 is left out so the weights are symmetric around 0.</summary>
    public const int MaxWeight = 127;

    private readonly float[] _offsets;
    private readonly float[] _scales;

    private ScalarQuantizer(float[] offsets, float[] scales)
    {
        _offsets = offsets;
        _scales = scales;
    }

    /// <summary>The number of dimensions (floats per vector, bytes per code).</summary>
    public int Dimension => _offsets.Length;

    /// <summary>The value code 0 decodes to, per dimension.</summary>
    public ReadOnlySpan<float> Offsets => _offsets;

    /// <summary>The step between adjacent codes, per dimension; always positive and finite.</summary>
    public ReadOnlySpan<float> Scales => _scales;

    /// <summary>Encodes <paramref name="vector"/>, rounding to the nearest code and clipping to 0..255.</summary>
    public void Encode(ReadOnlySpan<float> vector, Span<byte> code)
    {
        CheckLength(vector.Length, nameof(vector));
        CheckLength(code.Length, nameof(code));
        for (int i = 0; i < _offsets.Length; i++)
        {
            // Clip before rounding so out-of-range values (and +-infinity) land on 0 or 255, never wrap.
            float t = Math.Clamp((vector[i] - _offsets[i]) / _scales[i], 0f, MaxCode);
            code[i] = (byte)MathF.Round(t);
        }
    }

    /// <summary>Decodes a code back to floats: <c>Offset[i] + Scale[i] * code[i]</c>.</summary>
    public void Decode(ReadOnlySpan<byte> code, Span<float> vector)
    {
        CheckLength(code.Length, nameof(code));
        CheckLength(vector.Length, nameof(vector));
        for (int i = 0; i < _offsets.Length; i++)
        {
            vector[i] = MathF.FusedMultiplyAdd(_scales[i], code[i], _offsets[i]);
        }
    }

    /// <summary>The squared norm of the decoded vector, <c>||x̂||^2</c>, without materializing it.</summary>
    public float DecodedSquaredNorm(ReadOnlySpan<byte> code)
    {
        CheckLength(code.Length, nameof(code));

        // Double accumulation: this runs once per stored vector, and the norm enters every L2 estimate.
        double sum = 0;
        for (int i = 0; i < _offsets.Length; i++)
        {
            double x = _offsets[i] + ((double)_scales[i] * code[i]);
            sum += x * x;
        }

        return (float)sum;
    }

    /// <summary>
    /// Prepares <paramref name="query"/> for asymmetric scoring against codes:
    /// <c>dot(query, x̂) ≈ bias + scale * Int8Kernels.DotU8I8(code, weights)</c>.
    /// </summary>
    /// <remarks>
    /// <c>w[i] = q[i] Scale[i]</c> is quantized with one step <c>scale = max|w| / 127</c>, so each weight is off
    /// by at most <c>scale / 2</c>. A zero query gives zero weights and <c>scale = 0</c>.
    /// </remarks>
    public void PrepareQuery(ReadOnlySpan<float> query, Span<sbyte> weights, out float scale, out float bias)
    {
        CheckLength(query.Length, nameof(query));
        CheckLength(weights.Length, nameof(weights));
        float maxAbs = 0f;
        for (int i = 0; i < _scales.Length; i++)
        {
            maxAbs = MathF.Max(maxAbs, MathF.Abs(query[i] * _scales[i]));
        }

        bias = TensorPrimitives.Dot(query, _offsets);
        if (maxAbs == 0f)
        {
            weights.Clear();
            scale = 0f;
            return;
        }

        scale = maxAbs / MaxWeight;
        float inverse = MaxWeight / maxAbs;
        for (int i = 0; i < _scales.Length; i++)
        {
            float w = Math.Clamp(query[i] * _scales[i] * inverse, -MaxWeight, MaxWeight);
            weights[i] = (sbyte)MathF.Round(w);
        }
    }

    private void CheckLength(int length, string name)
    {
        if (length != _offsets.Length)
        {
            throw new ArgumentException($"Expected {_offsets.Length} elements, got {length}.", name);
        }
    }
}
