using System.Buffers.Binary;
using System.IO.Compression;
using Piramid.TestKit.Datasets;

namespace Piramid.Engine.Tests.Search;

/// <summary>The TEXMEX readers the benchmarks and ground-truth checks depend on.</summary>
public sealed class DatasetReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("piramid-datasets-").FullName;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fvecs_RoundTripsPlainAndGzip(bool gzip)
    {
        float[][] vectors = [[1.5f, -2f, 3f], [0f, float.Epsilon, -0.25f], [7f, 8f, 9f]];
        string path = Write("v.fvecs", gzip, vectors.Select(v => v.Select(BitConverter.SingleToInt32Bits).ToArray()));

        Assert.Equal(vectors, Fvecs.Read(path));
        Assert.Equal(vectors.Take(2), Fvecs.Read(path, maxCount: 2));
    }

    [Fact]
    public void Ivecs_RoundTrips()
    {
        int[][] rows = [[3, 1, 2], [-1, int.MaxValue, 0]];
        string path = Write("g.ivecs", gzip: false, rows);
        Assert.Equal(rows, Ivecs.Read(path));
    }

    [Fact]
    public void Fvecs_TruncatedOrMixedDimensions_Throw()
    {
        string truncated = Write("t.fvecs", gzip: false, [[1, 2, 3]]);
        File.WriteAllBytes(truncated, File.ReadAllBytes(truncated)[..^2]);
        Assert.Throws<InvalidDataException>(() => Fvecs.Read(truncated));

        string mixed = Write("m.fvecs", gzip: false, [[1, 2, 3], [1, 2]]);
        Assert.Throws<InvalidDataException>(() => Fvecs.Read(mixed));
    }

    [Fact]
    public void FashionMnist_LoadsPixelVectors()
    {
        var images = FashionMnist.Load(3, test: true);
        Assert.Equal(3, images.Length);
        Assert.All(images, image =>
        {
            Assert.Equal(784, image.Length);
            Assert.All(image, p => Assert.InRange(p, 0f, 255f));
            Assert.Contains(image, p => p > 0f);
        });
        Assert.NotEqual(images[0], images[1]);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, bool gzip, IEnumerable<int[]> rows)
    {
        string path = Path.Combine(_directory, gzip ? name + ".gz" : name);
        using (Stream file = File.Create(path))
        using (Stream stream = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file)
        {
            Span<byte> word = stackalloc byte[4];
            foreach (var row in rows)
            {
                BinaryPrimitives.WriteInt32LittleEndian(word, row.Length);
                stream.Write(word);
                foreach (int value in row)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(word, value);
                    stream.Write(word);
                }
            }
        }

        return path;
    }
}
