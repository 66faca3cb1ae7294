using System.Numerics.Tensors;
using Piramid.Engine.Search;
using Piramid.Engine.Search.Quantization;

namespace Piramid.Benchmarks;

/// <summary>A timed kernel: static, so the measuring loop is specialized per kernel with no call overhead.</summary>
internal interface IKernel
{
    static abstract float Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float invA, float invB);
}

/// <summary>A timed int8 kernel: a stored code against the query's code (L2) or its signed weights (dot).</summary>
internal interface IInt8Kernel
{
    static abstract int Run(ReadOnlySpan<byte> stored, ReadOnlySpan<byte> queryCode, ReadOnlySpan<sbyte> queryWeights);
}

internal readonly struct DotU8I8Simd : IInt8Kernel
{
    public static int Run(ReadOnlySpan<byte> stored, ReadOnlySpan<byte> queryCode, ReadOnlySpan<sbyte> queryWeights) =>
        Int8Kernels.DotU8I8(stored, queryWeights);
}

internal readonly struct DotU8I8Scalar : IInt8Kernel
{
    public static int Run(ReadOnlySpan<byte> stored, ReadOnlySpan<byte> queryCode, ReadOnlySpan<sbyte> queryWeights)
    {
        int sum = 0;
        for (int i = 0; i < stored.Length; i++)
        {
            sum += stored[i] * queryWeights[i];
        }

        return sum;
    }
}

internal readonly struct SquaredL2U8Simd : IInt8Kernel
{
    public static int Run(ReadOnlySpan<byte> stored, ReadOnlySpan<byte> queryCode, ReadOnlySpan<sbyte> queryWeights) =>
        Int8Kernels.SquaredL2U8(stored, queryCode);
}

internal readonly struct SquaredL2U8Scalar : IInt8Kernel
{
    public static int Run(ReadOnlySpan<byte> stored, ReadOnlySpan<byte> queryCode, ReadOnlySpan<sbyte> queryWeights)
    {
        int sum = 0;
        for (int i = 0; i < stored.Length; i++)
        {
            int d = stored[i] - queryCode[i];
            sum += d * d;
        }

        return sum;
    }
}

internal readonly struct DotSimd : IKernel
{
    public static float Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float invA, float invB) =>
        DotDistance.Score(a, b, invA, invB);
}

internal readonly struct SquaredL2Simd : IKernel
{
    public static float Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float invA, float invB) =>
        VectorKernels.SquaredL2(a, b);
}

/// <summary>TensorPrimitives.Distance squared back: what the custom kernel replaces (it pays a sqrt).</summary>
internal readonly struct SquaredL2TensorPrimitives : IKernel
{
    public static float Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float invA, float invB)
    {
        float d = TensorPrimitives.Distance(a, b);
        return d * d;
    }
}

internal readonly struct CosineSimd : IKernel
{
    public static float Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float invA, float invB) =>
        CosineDistance.Score(a, b, invA, invB);
}

/// <summary>TensorPrimitives.CosineSimilarity: computes both norms every call.</summary>
internal readonly struct CosineTensorPrimitives : IKernel
{
    public static float Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float invA, float invB) =>
        TensorPrimitives.CosineSimilarity(a, b);
}

internal readonly struct DotScalar : IKernel
{
    public static float Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float invA, float invB)
    {
        float sum = 0f;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}

internal readonly struct SquaredL2Scalar : IKernel
{
    public static float Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float invA, float invB)
    {
        float sum = 0f;
        for (int i = 0; i < a.Length; i++)
        {
            float d = a[i] - b[i];
            sum += d * d;
        }

        return sum;
    }
}

/// <summary>The textbook scalar cosine: dot and both norms in one pass.</summary>
internal readonly struct CosineScalar : IKernel
{
    public static float Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float invA, float invB)
    {
        float dot = 0f, normA = 0f, normB = 0f;
        for (int i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            normA += a[i] * a[i];
            normB += b[i] * b[i];
        }

        return normA == 0f || normB == 0f ? 0f : dot / (MathF.Sqrt(normA) * MathF.Sqrt(normB));
    }
}
