using Piramid.Contracts.Points;
using Piramid.Engine.Collections;
using Piramid.Engine.Commands;
using Piramid.Engine.Crypto;
using Piramid.Engine.Queries;
using Piramid.Engine.Tests.Storage;
using Piramid.KeyWrapping;

namespace Piramid.Engine.Tests.Collections;

/// <summary>
/// Points stored before the value bound existed (simulated by an engine opened with no bound) have scores that
/// overflow float32. After a restart under the default bound, every search of such a collection still answers,
/// with finite scores best first.
/// </summary>
public sealed class LegacyExtremeVectorTests
{
    [Theory]
    [InlineData("cosine", "flat")]
    [InlineData("cosine", "hnsw")]
    [InlineData("dot", "flat")]
    [InlineData("dot", "hnsw")]
    [InlineData("euclidean", "flat")]
    [InlineData("euclidean", "hnsw")]
    public async Task StoredOverflowingPoints_AfterRestart_SearchesAnswerWithFiniteScores(string metric, string index)
    {
        using var directory = new TempDirectory();
        var platformKey = PlatformKey.GenerateBase64();
        var big = float.MaxValue;
        float[][] vectors =
        [
            [big, big, big, big],
            [-big, -big, -big, -big],
            [big, -big, big, -big],
            [1f, 2f, 3f, 4f],
            [0f, 0f, 0f, 0f],
        ];

        using (var key = PlatformKey.FromBase64(platformKey))
        {
            var unbounded = VectorEngine.Open(Options(directory, float.MaxValue), key);
            await using (unbounded)
            {
                unbounded.Create("legacy", new CreateCollection(4, metric, new IndexSpec(index)), out _);
                await unbounded.Get("legacy").UpsertAsync(new UpsertPoints([.. vectors.Select((v, i) => new NewPoint($"p{i}", v))]));
            }
        }

        using var reopenedKey = PlatformKey.FromBase64(platformKey);
        await using var engine = VectorEngine.Open(Options(directory, Contracts.Limits.MaxVectorValue), reopenedKey);
        var collection = engine.Get("legacy");
        float[][] queries = [[1e15f, 1e15f, 1e15f, 1e15f], [-1e15f, 1e15f, -1e15f, 1e15f], [1f, 0f, 0f, 0f], [0f, 0f, 0f, 0f]];
        foreach (var query in queries)
        {
            var results = collection.Search(new SearchQuery { Vector = query, TopK = vectors.Length });
            Assert.NotEmpty(results);
            var previous = float.PositiveInfinity;
            foreach (var result in results)
            {
                Assert.True(float.IsFinite(result.Score), $"{result.Id}: {result.Score}");
                Assert.True(result.Score <= previous, $"{result.Id}: not best first");
                previous = result.Score;
            }
        }
    }

    private static EngineOptions Options(TempDirectory directory, float maxVectorValue) => new()
    {
        DataDirectory = directory.Path,
        MaxVectorValue = maxVectorValue,
        MaintenanceInterval = TimeSpan.FromHours(1),
        CheckpointInterval = TimeSpan.FromDays(1),
    };
}
