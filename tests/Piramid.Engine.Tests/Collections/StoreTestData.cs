using System.Text;
using System.Text.Json;
using Piramid.Engine.Collections;
using Piramid.Engine.Metadata;
using Piramid.Engine.Search;

namespace Piramid.Engine.Tests.Collections;

/// <summary>Seeded stores and points for the unit tests of <see cref="PointStore"/>, <see cref="CheckpointCodec"/> and <see cref="SearchPlanner"/>.</summary>
internal static class StoreTestData
{
    public const int Dimension = 8;

    /// <summary>Settings of a test collection; <paramref name="schema"/> is JSON text or null.</summary>
    public static CollectionConfig Config(string index = CollectionConfig.Hnsw, string? schema = null, string quantization = "none", bool autoIndex = true) =>
        new("c", Dimension, DistanceMetric.Euclidean, index, 16, 100, 64, quantization,
            schema is null ? null : MetadataSchema.Parse(JsonDocument.Parse(schema).RootElement), DateTimeOffset.UnixEpoch, autoIndex);

    /// <summary>A seeded random vector.</summary>
    public static float[] Vector(Random random) => Enumerable.Range(0, Dimension).Select(_ => (float)random.NextDouble()).ToArray();

    /// <summary>A point with metadata <c>{"tag": tag, "n": n}</c> (none when <paramref name="tag"/> is null).</summary>
    public static PreparedPoint Point(string id, float[] vector, string? tag, int n = 0) =>
        new(id, vector, tag is null ? null : Encoding.UTF8.GetBytes($$"""{"tag":"{{tag}}","n":{{n}}}"""));

    /// <summary>Upserts <paramref name="point"/> and links it, as recovery does.</summary>
    public static void Put(PointStore store, PreparedPoint point)
    {
        store.Reserve(1);
        store.Link(store.Upsert(point));
    }

    /// <summary>The metadata of an entry as JSON text, or null.</summary>
    public static string? MetadataText(PointEntry entry) =>
        PointStore.MetadataBytesOf(entry) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;
}
