using System.Diagnostics;
using System.Text.Json;
using Piramid.Engine.Search;

namespace Piramid.Benchmarks;

/// <summary>
/// ns per call of each float and int8 kernel against a plain scalar loop, for the dimensions of the benchmark datasets.
/// Each figure is the best of several short rounds: on shared cores the minimum is the least disturbed.
/// </summary>
internal sealed class KernelsMode : IBenchmarkMode
{
    // 64 stored vectors of 784 floats = 200 KB: fits L2, so the figures are compute, not DRAM, bound.
    private const int VectorCount = 64;

    public string Name => "kernels";

    public string Usage => "[--dims 256,784] [--rounds 5] [--round-ms 150]";

    public int Run(BenchmarkArgs args)
    {
        int[] dims = (args.GetString("dims") ?? "256,784").Split(',').Select(int.Parse).ToArray();
        int rounds = args.GetInt("rounds", 5, min: 1);
        int roundMs = args.GetInt("round-ms", 150, min: 10);
        args.ThrowIfUnused();

        var rows = new List<(string Kernel, int Dim, double SimdNs, double ScalarNs, string Baseline)>();
        Console.WriteLine($"{"kernel",-32} {"dim",5} {"simd ns",9} {"base ns",9} {"speed-up",9}  baseline");
        foreach (int dim in dims)
        {
            var bench = new Bench(dim, rounds, roundMs);
            Add(rows, "dot (TensorPrimitives.Dot)", dim, bench.Measure<DotSimd>(), bench.Measure<DotScalar>(), "scalar loop");
            Add(rows, "squared L2 (custom Vector512)", dim, bench.Measure<SquaredL2Simd>(), bench.Measure<SquaredL2Scalar>(), "scalar loop");
            Add(rows, "squared L2 (custom Vector512)", dim, bench.Measure<SquaredL2Simd>(), bench.Measure<SquaredL2TensorPrimitives>(), "TensorPrimitives.Distance^2");
            Add(rows, "cosine (dot x inverse norms)", dim, bench.Measure<CosineSimd>(), bench.Measure<CosineScalar>(), "scalar loop");
            Add(rows, "cosine (dot x inverse norms)", dim, bench.Measure<CosineSimd>(), bench.Measure<CosineTensorPrimitives>(), "TensorPrimitives.CosineSimilarity");
            Add(rows, "int8 dot u8 x s8 (Vector512)", dim, bench.MeasureInt8<DotU8I8Simd>(), bench.MeasureInt8<DotU8I8Scalar>(), "scalar loop");
            Add(rows, "int8 squared L2 u8 (Vector512)", dim, bench.MeasureInt8<SquaredL2U8Simd>(), bench.MeasureInt8<SquaredL2U8Scalar>(), "scalar loop");
        }

        string path = BenchmarkReport.Write("kernels", json =>
        {
            json.WriteStartArray("kernels");
            foreach (var row in rows)
            {
                json.WriteStartObject();
                json.WriteString("kernel", row.Kernel);
                json.WriteNumber("dim", row.Dim);
                json.WriteNumber("ns_per_call", Math.Round(row.SimdNs, 2));
                json.WriteString("baseline", row.Baseline);
                json.WriteNumber("baseline_ns_per_call", Math.Round(row.ScalarNs, 2));
                json.WriteNumber("speedup", Math.Round(row.ScalarNs / row.SimdNs, 2));
                json.WriteEndObject();
            }

            json.WriteEndArray();
        });
        Console.WriteLine($"wrote {path}");
        return 0;
    }

    private static void Add(List<(string, int, double, double, string)> rows, string kernel, int dim, double simdNs, double baseNs, string baseline)
    {
        rows.Add((kernel, dim, simdNs, baseNs, baseline));
        Console.WriteLine($"{kernel,-32} {dim,5} {simdNs,9:F1} {baseNs,9:F1} {baseNs / simdNs,8:F1}x  {baseline}");
    }

    private sealed class Bench(int dim, int rounds, int roundMs)
    {
        private readonly float[] _query = RandomVectors(1, dim, seed: 1);
        private readonly float[] _vectors = RandomVectors(VectorCount, dim, seed: 2);
        private readonly float[] _inverseNorms = InverseNorms(RandomVectors(VectorCount, dim, seed: 2), dim);
        private readonly float _queryInvNorm = InverseNorms(RandomVectors(1, dim, seed: 1), dim)[0];
        private readonly byte[] _queryCode = RandomBytes(dim, seed: 3);
        private readonly sbyte[] _queryWeights = (sbyte[])(Array)RandomBytes(dim, seed: 4);
        private readonly byte[] _codes = RandomBytes(VectorCount * dim, seed: 5);
        private float _sink;
        private int _intSink;

        public double Measure<TKernel>()
            where TKernel : struct, IKernel
        {
            // Warm-up promotes Batch to fully optimized code before anything is timed.
            RunFor<TKernel>(TimeSpan.FromMilliseconds(roundMs));
            double best = double.MaxValue;
            for (int round = 0; round < rounds; round++)
            {
                best = Math.Min(best, RunFor<TKernel>(TimeSpan.FromMilliseconds(roundMs)));
            }

            return best;
        }

        public double MeasureInt8<TKernel>()
            where TKernel : struct, IInt8Kernel
        {
            RunInt8For<TKernel>(TimeSpan.FromMilliseconds(roundMs));
            double best = double.MaxValue;
            for (int round = 0; round < rounds; round++)
            {
                best = Math.Min(best, RunInt8For<TKernel>(TimeSpan.FromMilliseconds(roundMs)));
            }

            return best;
        }

        private double RunInt8For<TKernel>(TimeSpan duration)
            where TKernel : struct, IInt8Kernel
        {
            long calls = 0;
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < duration)
            {
                for (int i = 0; i < 64; i++)
                {
                    int sum = 0;
                    for (int v = 0; v < VectorCount; v++)
                    {
                        sum += TKernel.Run(_codes.AsSpan(v * dim, dim), _queryCode, _queryWeights);
                    }

                    _intSink += sum;
                }

                calls += 64 * VectorCount;
            }

            return watch.Elapsed.TotalNanoseconds / calls;
        }

        private double RunFor<TKernel>(TimeSpan duration)
            where TKernel : struct, IKernel
        {
            long calls = 0;
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < duration)
            {
                for (int i = 0; i < 64; i++)
                {
                    _sink += Batch<TKernel>();
                }

                calls += 64 * VectorCount;
            }

            return watch.Elapsed.TotalNanoseconds / calls;
        }

        private float Batch<TKernel>()
            where TKernel : struct, IKernel
        {
            float sum = 0f;
            for (int v = 0; v < VectorCount; v++)
            {
                sum += TKernel.Run(_query, _vectors.AsSpan(v * dim, dim), _queryInvNorm, _inverseNorms[v]);
            }

            return sum;
        }

        private static float[] RandomVectors(int count, int dim, int seed)
        {
            var random = new Random(seed);
            var data = new float[count * dim];
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = (float)((random.NextDouble() * 2) - 1);
            }

            return data;
        }

        // Full byte range, so the sbyte view of the weights covers -128..127 (the kernels' worst case).
        private static byte[] RandomBytes(int count, int seed)
        {
            var data = new byte[count];
            new Random(seed).NextBytes(data);
            return data;
        }

        private static float[] InverseNorms(float[] vectors, int dim)
        {
            var result = new float[vectors.Length / dim];
            for (int v = 0; v < result.Length; v++)
            {
                result[v] = 1f / MathF.Sqrt(ExactSearch.Score(DistanceMetric.Dot, vectors.AsSpan(v * dim, dim), vectors.AsSpan(v * dim, dim)));
            }

            return result;
        }
    }
}
