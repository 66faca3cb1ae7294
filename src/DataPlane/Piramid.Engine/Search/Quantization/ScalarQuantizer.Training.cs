using System.Numerics.Tensors;

namespace Piramid.Engine.Search.Quantization;

internal sealed partial class ScalarQuantizer
{
    /// <summary>
    /// Code steps kept free below the sampled minimum and above the sampled maximum of each dimension (13 of 255
    /// is about 5% per side), so later values a little outside the sample are coded instead of clipped. Whole
    /// steps, not a fractional widening, keep the sampled min and max exactly on the code grid: on Fashion-MNIST
    /// most pixels are exactly 0, and a grid that misses 0 by a fraction of a step biases every one of them the
    /// same way, which doubled the dot-estimate error in the measurements in docs/design/int8-quantization.md.
    /// </summary>
    public const int MarginSteps = 13;

    /// <summary>
    /// No dimension's range is narrower than this fraction of the widest dimension's range. A dimension that
    /// was constant in the sample (Fashion-MNIST's corner pixels are 0 in the first thousands of images)
    /// would otherwise get scale 0 and clip everything later points put there.
    /// </summary>
    public const float MinRangeFraction = 1f / 16;

    /// <summary>
    /// Trains on <paramref name="flatVectors"/>: n vectors of <paramref name="dimension"/> floats back to back.
    /// Per dimension: the sample's [min, max], widened around its centre to at least <see cref="MinRangeFraction"/>
    /// of the widest dimension's range, is split into 255 - 2 x <see cref="MarginSteps"/> steps, and
    /// <see cref="MarginSteps"/> more steps are added on each side.
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
            double range = Math.Max((double)max[i] - min[i], floor);
            double scale = range / (MaxCode - (2 * MarginSteps));
            offsets[i] = (float)(centre - (range / 2) - (MarginSteps * scale));
            scales[i] = (float)scale;
        }

        return new ScalarQuantizer(offsets, scales);
    }
}
