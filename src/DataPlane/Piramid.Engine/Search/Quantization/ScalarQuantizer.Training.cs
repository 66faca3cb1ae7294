using System.Numerics.Tensors;

namespace Piramid.Engine.Search.Quantization;

internal sealed partial class ScalarQuantizer
{
    /// <summary>
    /// Each dimension's sampled range is widened by this fraction of itself on both sides, so values just
    /// outside what the sample saw are still coded instead of clipped. Measured in
    /// docs/design/int8-quantization.md: on a 2,000-vector sample it costs 10% resolution and removes most
    /// clipping on later points.
    /// </summary>
    public const float RangeMargin = 0.05f;

    /// <summary>
    /// No dimension's range is narrower than this fraction of the widest dimension's range. A dimension that
    /// was constant in the sample (Fashion-MNIST's corner pixels are 0 in the first thousands of images)
    /// would otherwise get scale 0 and clip everything later points put there.
    /// </summary>
    public const float MinRangeFraction = 1f / 16;

    /// <summary>
    /// Trains on <paramref name="flatVectors"/>: n vectors of <paramref name="dimension"/> floats back to back.
    /// Per dimension: the sample's [min, max], widened to at least <see cref="MinRangeFraction"/> of the widest
    /// range (around its centre), then by <see cref="RangeMargin"/> on each side, split into 255 steps.
    /// </summary>
    public static ScalarQuantizer Train(ReadOnlySpan<float> flatVectors, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (flatVectors.IsEmpty || flatVectors.Length % dimension != 0)
        {
            throw new ArgumentException(
                $"Expected a non-empty whole number of {dimension}-d vectors, got {flatVectors.Length} floats.",
                nameof(flatVectors));
        }

        if (!TensorPrimitives.IsFiniteAll(flatVectors))
        {
            throw new ArgumentException("The training vectors must be finite.", nameof(flatVectors));
        }

        var min = flatVectors[..dimension].ToArray();
        var max = flatVectors[..dimension].ToArray();
        for (int start = dimension; start < flatVectors.Length; start += dimension)
        {
            var vector = flatVectors.Slice(start, dimension);
            TensorPrimitives.Min(min, vector, min);
            TensorPrimitives.Max(max, vector, max);
        }

        // A sample in which every dimension is constant (one vector, or duplicates) has no widest range to
        // borrow from: fall back to the largest magnitude, then to 1, so every scale stays positive.
        double widest = 0;
        double magnitude = 0;
        for (int i = 0; i < dimension; i++)
        {
            widest = Math.Max(widest, (double)max[i] - min[i]);
            magnitude = Math.Max(magnitude, Math.Max(Math.Abs(min[i]), Math.Abs(max[i])));
        }

        if (widest == 0)
        {
            widest = magnitude > 0 ? magnitude : 1;
        }

        var offsets = new float[dimension];
        var scales = new float[dimension];
        double floor = widest * MinRangeFraction;
        for (int i = 0; i < dimension; i++)
        {
            double centre = ((double)min[i] + max[i]) / 2;
            double range = Math.Max((double)max[i] - min[i], floor) * (1 + (2 * RangeMargin));
            offsets[i] = (float)(centre - (range / 2));
            scales[i] = (float)(range / MaxCode);
        }

        return new ScalarQuantizer(offsets, scales);
    }
}
