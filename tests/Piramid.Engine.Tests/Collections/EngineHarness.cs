using System.Text.Json;
using Piramid.Contracts.Points;
using Piramid.Engine.Collections;
using Piramid.Engine.Commands;
using Piramid.Engine.Crypto;
using Piramid.Engine.Queries;
using Piramid.Engine.Tests.Storage;
using Piramid.KeyWrapping;

namespace Piramid.Engine.Tests.Collections;

/// <summary>An in-process engine over a temporary directory that can be closed and opened again.</summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    private readonly string _platformKey = PlatformKey.GenerateBase64();
    private readonly TempDirectory _directory = new();
    private PlatformKey? _key;

    public VectorEngine Engine { get; private set; } = null!;

    /// <summary>The data directory (a copy taken while the engine runs is a crash image).</summary>
    public string DataDirectory => _directory.Path;

    /// <summary>The platform key, to open such a copy.</summary>
    public string PlatformKeyText => _platformKey;

    public static async Task<EngineHarness> StartAsync()
    {
        var harness = new EngineHarness();
        await harness.ReopenAsync(first: true);
        return harness;
    }

    /// <summary>Closes the engine (flushing the log, no checkpoint) and opens the directory again.</summary>
    public async Task ReopenAsync(bool first = false)
    {
        if (!first)
        {
            await Engine.DisposeAsync();
            _key?.Dispose();
        }

        _key = PlatformKey.FromBase64(_platformKey);
        Engine = VectorEngine.Open(
            new EngineOptions { DataDirectory = _directory.Path, MaintenanceInterval = TimeSpan.FromHours(1), CheckpointInterval = TimeSpan.FromDays(1) },
            _key);
    }

    public Collection CreateHnsw(string name, int dimension, string metric, int efConstruction = 100, object? schema = null, string quantization = "none")
    {
        Engine.Create(name, new CreateCollection(
            dimension,
            metric,
            new IndexSpec("hnsw", 16, efConstruction),
            quantization,
            schema is null ? default : JsonSerializer.SerializeToElement(schema)), out _);
        return Engine.Get(name);
    }

    public static async Task UpsertAsync(Collection collection, IReadOnlyList<float[]> vectors, int first, Func<int, object?>? metadata = null, int batch = 500)
    {
        for (var start = 0; start < vectors.Count; start += batch)
        {
            var points = new List<NewPoint?>();
            for (var i = start; i < Math.Min(vectors.Count, start + batch); i++)
            {
                points.Add(new NewPoint(
                    $"p{first + i}",
                    vectors[i],
                    metadata?.Invoke(first + i) is { } m ? JsonSerializer.SerializeToElement(m) : default));
            }

            await collection.UpsertAsync(new UpsertPoints(points));
        }

        // Links are made behind the acknowledgement (docs/design/ingest.md); these tests look at the whole graph.
        await collection.WhenLinkedAsync();
    }

    public static string[] Search(Collection collection, float[] query, int k, JsonElement filter = default, int? ef = null) =>
        [.. collection.Search(new SearchQuery { Vector = query, TopK = k, Filter = filter, Ef = ef, IncludeMetadata = false }).Select(r => r.Id)];

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        _key?.Dispose();
        _directory.Dispose();
    }
}
