using System.Text.Json;
using Piramid.Contracts.Points;
using Piramid.Engine.Collections;
using Piramid.Engine.Commands;
using Piramid.Engine.Queries;
using Piramid.Engine.Storage;
using Piramid.Engine.Tests.Storage;
using Piramid.KeyWrapping;

namespace Piramid.Engine.Tests.Ingest;

/// <summary>An in-process engine whose graph linker is configured by the test (workers, tail bound); reopenable.</summary>
internal sealed class IngestHarness : IAsyncDisposable
{
    private readonly string _platformKey = PlatformKey.GenerateBase64();
    private readonly TempDirectory _directory = new();
    private readonly int _linkWorkers;
    private readonly int _maxUnlinked;
    private readonly DurabilityPolicy _durability;
    private PlatformKey? _key;

    private IngestHarness(int linkWorkers, int maxUnlinked, DurabilityPolicy durability)
    {
        _linkWorkers = linkWorkers;
        _maxUnlinked = maxUnlinked;
        _durability = durability;
    }

    public VectorEngine Engine { get; private set; } = null!;

    public static IngestHarness Start(int linkWorkers = 0, int maxUnlinked = 100_000, DurabilityPolicy? durability = null)
    {
        var harness = new IngestHarness(linkWorkers, maxUnlinked, durability ?? DurabilityPolicy.Default);
        harness.Open();
        return harness;
    }

    /// <summary>Closes the engine (a clean close checkpoints) and opens the directory again.</summary>
    public async Task ReopenAsync()
    {
        await Engine.DisposeAsync();
        _key?.Dispose();
        Open();
    }

    public Collection CreateHnsw(string name, int dimension, string metric, int efConstruction)
    {
        Engine.Create(name, new CreateCollection(dimension, metric, new IndexSpec("hnsw", 16, efConstruction)), out _);
        return Engine.Get(name);
    }

    public static NewPoint Point(string id, float[] vector, string tag) =>
        new(id, vector, JsonSerializer.SerializeToElement(new { tag }));

    /// <summary>
    /// The id of the best match of <paramref name="vector"/>, or null. The walk's ef of 1,000 reaches nearly every
    /// linked node of these small collections, so a miss means the point is not in the graph nor in the tail's scan.
    /// </summary>
    public static string? Nearest(Collection collection, float[] vector, JsonElement filter = default) =>
        collection.Search(new SearchQuery { Vector = vector, TopK = 1, Ef = 1_000, Filter = filter, IncludeMetadata = false }) is [var hit, ..] ? hit.Id : null;

    public static float[] RandomVector(Random random, int dimension)
    {
        var vector = new float[dimension];
        for (var d = 0; d < dimension; d++)
        {
            vector[d] = (float)((random.NextDouble() * 2) - 1);
        }

        return vector;
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        _key?.Dispose();
        _directory.Dispose();
    }

    private void Open()
    {
        _key = PlatformKey.FromBase64(_platformKey);
        Engine = VectorEngine.Open(
            new EngineOptions
            {
                DataDirectory = _directory.Path,
                MaintenanceInterval = TimeSpan.FromHours(1),
                CheckpointInterval = TimeSpan.FromDays(1),
                LinkWorkers = _linkWorkers,
                MaxUnlinkedPoints = _maxUnlinked,
                Durability = _durability,
            },
            _key);
    }
}
