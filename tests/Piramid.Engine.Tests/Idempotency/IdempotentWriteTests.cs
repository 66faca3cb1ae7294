using System.Text.Json;
using Piramid.Engine.Commands;
using Piramid.Engine.Crypto;
using Piramid.Engine.Tests.Storage;

namespace Piramid.Engine.Tests.Idempotency;

/// <summary>
/// Idempotent writes in the engine: a repeat of the same request under one key replays the first result (same count,
/// same LSN) and logs nothing; another request under the key is refused; concurrent first requests run once; the
/// key survives a crash (from the log) and a clean restart (from the checkpoint); keys expire and are bounded.
/// "Nothing logged" is checked by the LSN the next write gets: one past the last record.
/// </summary>
public sealed class IdempotentWriteTests
{
    [Fact]
    public async Task Upsert_SameKeyAndBody_ReplaysFirstResultAndLogsNothing()
    {
        await using var h = IdempotencyEngine.Start2D();
        var key = IdempotencyEngine.Key("k1", "a=1");

        var first = await h.UpsertAsync("a", 1, key);
        var again = await h.UpsertAsync("a", 1, key);

        Assert.Equal(first, again);
        Assert.Equal(1, h.Docs.Count);
        Assert.Equal(first.Lsn + 1, await h.NextLsnAsync());
    }

    [Fact]
    public async Task Upsert_SameKeyOtherBody_IsKeyReusedAndWritesNothing()
    {
        await using var h = IdempotencyEngine.Start2D();
        var first = await h.UpsertAsync("a", 1, IdempotencyEngine.Key("k1", "a=1"));

        var e = await Assert.ThrowsAsync<EngineException>(() => h.UpsertAsync("a", 2, IdempotencyEngine.Key("k1", "a=2")));

        Assert.Equal(EngineErrorKind.IdempotencyKeyReused, e.Kind);
        Assert.Contains("k1", e.Message, StringComparison.Ordinal);
        Assert.Equal([1f, 1f], h.VectorOf("a"));
        Assert.Equal(first.Lsn + 1, await h.NextLsnAsync());
    }

    [Fact]
    public async Task SameKey_OnAnotherScope_IsAnotherKey()
    {
        await using var h = IdempotencyEngine.Start2D();
        await h.UpsertAsync("a", 1, IdempotencyEngine.Key("k1", "a=1"));

        var update = await h.Docs.UpdateAsync(new UpdatePoint("a", [5, 5])
        {
            Idempotency = IdempotencyEngine.Key("k1", "v=5", "PATCH /v1/collections/docs/points/a"),
        });

        Assert.Equal(1, update.Count);
        Assert.Equal([5f, 5f], h.VectorOf("a"));
    }

    [Fact]
    public async Task ConcurrentFirstRequests_WithOneKey_ExecuteOnce()
    {
        await using var h = IdempotencyEngine.Start2D();
        var key = IdempotencyEngine.Key("burst", "a=7");
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requests = Enumerable.Range(0, 32).Select(async _ =>
        {
            await start.Task;
            return await h.UpsertAsync("a", 7, key);
        }).ToList();

        start.SetResult();
        var results = await Task.WhenAll(requests);

        Assert.Single(results.Distinct());
        Assert.Equal(results[0].Lsn + 1, await h.NextLsnAsync());
    }

    [Fact]
    public async Task Key_SurvivesACrash_FromTheLog()
    {
        await using var h = IdempotencyEngine.Start2D();
        var key = IdempotencyEngine.Key("k1", "a=1");
        var first = await h.UpsertAsync("a", 1, key);
        var deleted = await h.Docs.DeleteAsync(new DeletePoints(["missing"]) { Idempotency = IdempotencyEngine.Key("d1", "missing", "POST /v1/collections/docs/points/delete") });

        await h.CrashAndRecoverAsync();

        Assert.Equal(first, await h.UpsertAsync("a", 1, key));
        Assert.Equal(deleted, await h.Docs.DeleteAsync(new DeletePoints(["missing"]) { Idempotency = IdempotencyEngine.Key("d1", "missing", "POST /v1/collections/docs/points/delete") }));
        Assert.Equal(EngineErrorKind.IdempotencyKeyReused, (await Assert.ThrowsAsync<EngineException>(() => h.UpsertAsync("a", 2, IdempotencyEngine.Key("k1", "a=2")))).Kind);
        Assert.Equal(deleted.Lsn + 1, await h.NextLsnAsync());
    }

    [Fact]
    public async Task Key_SurvivesACleanRestart_FromTheCheckpoint()
    {
        await using var h = IdempotencyEngine.Start2D();
        var key = IdempotencyEngine.Key("k1", "a=1");
        var first = await h.UpsertAsync("a", 1, key);

        await h.ReopenAsync(); // closing checkpoints: recovery replays no log record at or before this LSN
        await h.CrashAndRecoverAsync();

        Assert.Equal(first, await h.UpsertAsync("a", 1, key));
        Assert.Equal(first.Lsn + 1, await h.NextLsnAsync());
    }

    [Fact]
    public async Task Key_AfterTheRetentionWindow_IsForgotten_AndNotRestored()
    {
        await using var h = IdempotencyEngine.Start2D();
        var first = await h.UpsertAsync("a", 1, IdempotencyEngine.Key("k1", "a=1"));
        await h.UpsertAsync("b", 1, IdempotencyEngine.Key("k2", "b=1"));

        h.Clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(first, await h.UpsertAsync("a", 1, IdempotencyEngine.Key("k1", "a=1")));

        h.Clock.Advance(TimeSpan.FromMilliseconds(1));
        var reused = await h.UpsertAsync("a", 2, IdempotencyEngine.Key("k1", "a=2"));
        Assert.True(reused.Lsn > first.Lsn);
        Assert.Equal([2f, 1f], h.VectorOf("a"));

        await h.CrashAndRecoverAsync();
        var k2 = await h.UpsertAsync("b", 3, IdempotencyEngine.Key("k2", "b=3")); // expired before the crash: not restored
        Assert.Equal([3f, 1f], h.VectorOf("b"));
        Assert.Equal(k2, await h.UpsertAsync("b", 3, IdempotencyEngine.Key("k2", "b=3")));
    }

    [Fact]
    public async Task Keys_PastTheBound_DropTheOldestFirst()
    {
        await using var h = IdempotencyEngine.Start2D(maxKeys: 3);
        var results = new List<WriteResult>();
        for (var i = 0; i < 4; i++)
        {
            results.Add(await h.UpsertAsync($"p{i}", i, IdempotencyEngine.Key($"k{i}", $"p{i}")));
        }

        for (var i = 1; i < 4; i++)
        {
            Assert.Equal(results[i], await h.UpsertAsync($"p{i}", i, IdempotencyEngine.Key($"k{i}", $"p{i}")));
        }

        var oldest = await h.UpsertAsync("p0", 9, IdempotencyEngine.Key("k0", "other body"));
        Assert.True(oldest.Lsn > results[3].Lsn);
    }

    [Fact]
    public async Task RefusedWrite_LeavesTheKeyFree()
    {
        await using var h = IdempotencyEngine.Start2D();
        var key = IdempotencyEngine.Key("k1", "v=3", "PATCH /v1/collections/docs/points/late");
        var update = new UpdatePoint("late", [3, 3]) { Idempotency = key };

        var missing = await Assert.ThrowsAsync<EngineException>(() => h.Docs.UpdateAsync(update));
        Assert.Equal(EngineErrorKind.NotFound, missing.Kind);

        await h.UpsertAsync("late", 1, null);
        var done = await h.Docs.UpdateAsync(update);
        Assert.Equal([3f, 3f], h.VectorOf("late"));
        Assert.Equal(done, await h.Docs.UpdateAsync(update));
    }

    [Fact]
    public async Task DeletedCollection_ForgetsItsKeys()
    {
        await using var h = IdempotencyEngine.Start2D();
        var key = IdempotencyEngine.Key("k1", "a=1");
        await h.UpsertAsync("a", 1, key);

        h.Engine.Delete("docs");
        h.Engine.Create("docs", new CreateCollection(2, Index: new IndexSpec("flat")), out _);

        await h.UpsertAsync("a", 1, key);
        Assert.Equal(1, h.Docs.Count);
        Assert.Equal([1f, 1f], h.VectorOf("a"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Open_WithABadKeyBound_Throws(int maxKeys)
    {
        using var directory = new TempDirectory();
        using var key = DataKey.Generate();
        Assert.Throws<ArgumentOutOfRangeException>(() => VectorEngine.Open(
            new EngineOptions { DataDirectory = directory.Path, IdempotencyMaxKeys = maxKeys }, DataKey.FromBytes(key.Bytes)));
    }

    [Fact]
    public void Open_WithANonPositiveRetention_Throws()
    {
        using var directory = new TempDirectory();
        using var key = DataKey.Generate();
        Assert.Throws<ArgumentOutOfRangeException>(() => VectorEngine.Open(
            new EngineOptions { DataDirectory = directory.Path, IdempotencyRetention = TimeSpan.Zero }, DataKey.FromBytes(key.Bytes)));
    }

    [Fact]
    public async Task UpdateWithMetadata_ReplaysWithoutMergingTwice()
    {
        await using var h = IdempotencyEngine.Start2D();
        await h.UpsertAsync("a", 1, null);
        var patch = JsonSerializer.SerializeToElement(new { tags = new[] { "x" } });
        var update = new UpdatePoint("a", null, patch) { Idempotency = IdempotencyEngine.Key("m1", "tags", "PATCH /v1/collections/docs/points/a") };

        var first = await h.Docs.UpdateAsync(update);
        var again = await h.Docs.UpdateAsync(update);

        Assert.Equal(first, again);
        Assert.Equal(first.Lsn + 1, await h.NextLsnAsync());
    }
}
