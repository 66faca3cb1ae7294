using Piramid.Engine.Search.Quantization;

namespace Piramid.Engine.Tests.Search.Quantization;

public sealed class Int8VectorStoreTests
{
    [Theory]
    [InlineData(1, 64)]
    [InlineData(64, 64)]
    [InlineData(65, 128)]
    [InlineData(784, 832)]
    public void Stride_RoundsDimensionUpTo64(int dimension, int stride)
    {
        var quantizer = ScalarQuantizer.Train(ScalarQuantizerTests.RandomVectors(new Random(1), 4, dimension, 0f, 1f), dimension);
        var store = new Int8VectorStore(quantizer, initialCapacity: 3);
        Assert.Equal(stride, store.Stride);
        Assert.Equal(3 * stride, store.Data.Length);
    }

    [Fact]
    public void Set_StoresCodeAndDecodedNorm_LeavesPaddingZero()
    {
        const int dimension = 70;
        var random = new Random(2);
        var quantizer = ScalarQuantizer.Train(ScalarQuantizerTests.RandomVectors(random, 100, dimension, -1f, 1f), dimension);
        var store = new Int8VectorStore(quantizer, initialCapacity: 4);
        var vector = ScalarQuantizerTests.RandomVectors(random, 1, dimension, -1f, 1f);
        store.Set(2, vector);

        var expected = new byte[dimension];
        quantizer.Encode(vector, expected);
        Assert.Equal(expected, store.Codes(2).ToArray());
        Assert.Equal(expected, store.Data.AsSpan(2 * store.Stride, dimension).ToArray());
        Assert.All(store.Data.AsSpan((2 * store.Stride) + dimension, store.Stride - dimension).ToArray(), b => Assert.Equal(0, b));

        var decoded = new float[dimension];
        quantizer.Decode(expected, decoded);
        float norm = decoded.Sum(x => x * x);
        Assert.Equal(norm, store.SquaredNorm(2), norm * 1e-5f);
        Assert.Equal(store.SquaredNorm(2), store.SquaredNorms[2]);
        Assert.Equal(0f, store.SquaredNorm(1));
    }

    [Fact]
    public void EnsureCapacity_GrowsByDoubling_KeepsContents()
    {
        const int dimension = 8;
        var random = new Random(3);
        var quantizer = ScalarQuantizer.Train(ScalarQuantizerTests.RandomVectors(random, 10, dimension, 0f, 9f), dimension);
        var store = new Int8VectorStore(quantizer, initialCapacity: 2);
        var vectors = Enumerable.Range(0, 2).Select(_ => ScalarQuantizerTests.RandomVectors(random, 1, dimension, 0f, 9f)).ToArray();
        store.Set(0, vectors[0]);
        store.Set(1, vectors[1]);
        var before = new[] { store.Codes(0).ToArray(), store.Codes(1).ToArray() };
        float norm1 = store.SquaredNorm(1);

        store.EnsureCapacity(3);
        Assert.Equal(4, store.Capacity);
        store.EnsureCapacity(4);
        Assert.Equal(4, store.Capacity);
        store.EnsureCapacity(20);
        Assert.Equal(20, store.Capacity);
        Assert.Equal(20 * store.Stride, store.Data.Length);
        Assert.Equal(before[0], store.Codes(0).ToArray());
        Assert.Equal(before[1], store.Codes(1).ToArray());
        Assert.Equal(norm1, store.SquaredNorm(1));
    }

    [Fact]
    public void SlotOutsideCapacity_Throws()
    {
        var quantizer = ScalarQuantizer.Train([0f, 1f], 1);
        var store = new Int8VectorStore(quantizer, initialCapacity: 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Set(2, [0.5f]));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Codes(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.SquaredNorm(2));
    }
}
