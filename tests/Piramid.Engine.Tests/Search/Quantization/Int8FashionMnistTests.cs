using Piramid.Engine.Search.Quantization;
using Piramid.TestKit.Datasets;
using Xunit.Abstractions;

namespace Piramid.Engine.Tests.Search.Quantization;

/// <summary>The int8 quality gates on real data: Fashion-MNIST, trained on a prefix, scored on later images.</summary>
public sealed class Int8FashionMnistTests(ITestOutputHelper output)
{
    // The index trains on a collection's first points; these tests train on the first 1,000 images and score
    // the next 1,000, so the scored vectors include values the sample never saw (and are clipped).
    private const int TrainCount = 1_000;
    private const int BaseCount = 1_000;
    private const int QueryCount = 20;
    private const int K = 10;
    private const int Candidates = 40;

    // Measured 1.3e-3 (mean) and 1.35e-2 (worst of the 20,000 pairs). The error of one estimate is a sum of 784
    // roughly independent rounding errors (half a code step on x, half a weight step on q), so it grows like
    // sqrt(784) times one step while the dot grows like 784 times a typical product: about 1e-3 relative.
    // The bounds leave 3x margin. A grid that misses the sample minimum by a fraction of a step (the training
    // rule before MarginSteps) measured 2.9e-3 here; a wrong offset or weight scale is off by order 1.
    private const double MaxMeanRelativeError = 4e-3;
    private const double MaxPairRelativeError = 4e-2;

    // Measured: all 200 true neighbours inside the int8 top-40. Rescoring 40 candidates with floats is the
    // plan; losing more than 2 of 200 would mean the estimate, not the candidate count, limits recall.
    private const int MinNeighboursFound = QueryCount * K - 2;

    [Fact]
    public void DotEstimate_FashionMnist_CloseToFloatDot()
    {
        var (quantizer, baseVectors, codes, _) = Build();
        var queries = FashionMnist.Load(QueryCount, test: true);
        var weights = new sbyte[FashionMnist.Dimension];
        double sumRelative = 0, maxRelative = 0;
        foreach (var query in queries)
        {
            quantizer.PrepareQuery(query, weights, out float scale, out float bias);
            for (int b = 0; b < BaseCount; b++)
            {
                double exact = ExactDot(query, baseVectors[b]);
                double estimate = bias + ((double)scale * Int8Kernels.DotU8I8(codes[b], weights));
                double relative = Math.Abs(estimate - exact) / exact;
                sumRelative += relative;
                maxRelative = Math.Max(maxRelative, relative);
            }
        }

        double meanRelative = sumRelative / (QueryCount * BaseCount);
        output.WriteLine($"mean relative error {meanRelative:E3}, max {maxRelative:E3}");
        Assert.True(meanRelative <= MaxMeanRelativeError, $"mean relative error {meanRelative:E3}");
        Assert.True(maxRelative <= MaxPairRelativeError, $"max relative error {maxRelative:E3}");
    }

    [Fact]
    public void L2Estimate_FashionMnist_TrueTop10InsideInt8Top40()
    {
        var (quantizer, baseVectors, codes, norms) = Build();
        var queries = FashionMnist.Load(QueryCount, test: true);
        var weights = new sbyte[FashionMnist.Dimension];
        int found = 0;
        foreach (var query in queries)
        {
            quantizer.PrepareQuery(query, weights, out float scale, out float bias);

            // -||q - x||^2 + ||q||^2 = 2 q·x - ||x||^2: the same order as the distance, without ||q||^2.
            var estimated = new double[BaseCount];
            var exact = new double[BaseCount];
            for (int b = 0; b < BaseCount; b++)
            {
                estimated[b] = (2 * (bias + ((double)scale * Int8Kernels.DotU8I8(codes[b], weights)))) - norms[b];
                exact[b] = (2 * ExactDot(query, baseVectors[b])) - ExactDot(baseVectors[b], baseVectors[b]);
            }

            var candidates = TopIndices(estimated, Candidates).ToHashSet();
            found += TopIndices(exact, K).Count(candidates.Contains);
        }

        output.WriteLine($"{found} of {QueryCount * K} true neighbours inside the int8 top-{Candidates}");
        Assert.True(found >= MinNeighboursFound, $"only {found} of {QueryCount * K} true neighbours found");
    }

    private static (ScalarQuantizer Quantizer, float[][] Base, byte[][] Codes, float[] Norms) Build()
    {
        var images = FashionMnist.Load(TrainCount + BaseCount);
        var quantizer = ScalarQuantizer.Train(images.Take(TrainCount).SelectMany(v => v).ToArray(), FashionMnist.Dimension);
        var baseVectors = images.Skip(TrainCount).ToArray();
        var codes = new byte[BaseCount][];
        var norms = new float[BaseCount];
        for (int b = 0; b < BaseCount; b++)
        {
            codes[b] = new byte[FashionMnist.Dimension];
            quantizer.Encode(baseVectors[b], codes[b]);
            norms[b] = quantizer.DecodedSquaredNorm(codes[b]);
        }

        return (quantizer, baseVectors, codes, norms);
    }

    private static double ExactDot(float[] a, float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }

        return sum;
    }

    private static IEnumerable<int> TopIndices(double[] scores, int count) =>
        Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).Take(count);
}
