using System.Security.Cryptography;
using System.Text.Json;
using Piramid.Engine;
using Piramid.Engine.Commands;
using Piramid.Engine.Crypto;
using Piramid.Engine.Storage;
using Piramid.KeyWrapping;

namespace Piramid.Benchmarks;

/// <summary>Shared setup of the engine benchmarks: a fresh encrypted engine in a temp directory.</summary>
internal static class EngineBench
{
    public static VectorEngine Open(string directory, PlatformKey key, string durability) =>
        VectorEngine.Open(
            new EngineOptions
            {
                DataDirectory = directory,
                Durability = DurabilityPolicy.Parse(durability),
                // No background checkpoint during the run: the recovery benchmark wants every record in the log.
                CheckpointAfterWalBytes = long.MaxValue,
                CheckpointInterval = TimeSpan.FromDays(1),
            },
            key);

    public static PlatformKey NewPlatformKey() => PlatformKey.FromBase64(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

    public static CreateCollection Collection(int dimension) => new(dimension, "cosine", new IndexSpec("flat"));

    /// <summary>Upsert requests of <paramref name="batchSize"/> points with a small metadata object each.</summary>
    public static List<UpsertPoints> Batches(float[][] vectors, string[] ids, int batchSize)
    {
        var batches = new List<UpsertPoints>();
        for (var start = 0; start < vectors.Length; start += batchSize)
        {
            var points = new List<NewPoint?>();
            for (var i = start; i < Math.Min(start + batchSize, vectors.Length); i++)
            {
                var pos = ids[i].Split(':')[0];
                var metadata = JsonDocument.Parse($$"""{"pos":"{{pos}}","row":{{i}}}""").RootElement.Clone();
                points.Add(new NewPoint(ids[i], vectors[i], metadata));
            }

            batches.Add(new UpsertPoints(points));
        }

        return batches;
    }

    public static string TempDirectory(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), $"piramid-bench-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }
}
