using Piramid.Engine.Commands;

namespace Piramid.Engine.Tests.Idempotency;

/// <summary>
/// Random sequences of (key, body) upserts, with crashes, clean restarts and clock jumps between them, against a
/// model: a key seen with the same body within the window replays its first LSN, with another body is refused, and
/// otherwise the write executes with a new LSN. The point's vector always shows the last executed body.
/// </summary>
public sealed class IdempotencyModelTests
{
    private static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task RandomKeysAndBodies_BehaveLikeTheModel(int seed)
    {
        var random = new Random(seed);
        await using var h = IdempotencyEngine.Start2D(maxKeys: 1_000);
        var model = new Dictionary<string, (int Body, WriteResult Result, DateTimeOffset At)>();
        var lastBody = new Dictionary<string, int>();
        long lastLsn = 0;
        for (var step = 0; step < 150; step++)
        {
            switch (random.Next(20))
            {
                case 0:
                    await h.CrashAndRecoverAsync();
                    continue;
                case 1:
                    await h.ReopenAsync();
                    continue;
                case 2:
                    h.Clock.Advance(TimeSpan.FromHours(random.Next(1, 13)));
                    continue;
            }

            var key = $"key-{random.Next(6)}";
            var body = random.Next(3);
            var point = $"p{key[^1]}";
            var now = h.Clock.GetUtcNow();
            var known = model.TryGetValue(key, out var seen) && now - seen.At < Retention;
            if (known && seen.Body != body)
            {
                var e = await Assert.ThrowsAsync<EngineException>(() => h.UpsertAsync(point, body, IdempotencyEngine.Key(key, $"{body}")));
                Assert.Equal(EngineErrorKind.IdempotencyKeyReused, e.Kind);
            }
            else if (known)
            {
                Assert.Equal(seen.Result, await h.UpsertAsync(point, body, IdempotencyEngine.Key(key, $"{body}")));
            }
            else
            {
                var result = await h.UpsertAsync(point, body, IdempotencyEngine.Key(key, $"{body}"));
                Assert.True(result.Lsn > lastLsn, $"step {step}: LSN {result.Lsn} after {lastLsn}");
                lastLsn = result.Lsn;
                model[key] = (body, result, now);
                lastBody[point] = body;
            }

            foreach (var (id, expected) in lastBody)
            {
                Assert.Equal([expected, 1f], h.VectorOf(id));
            }
        }

        Assert.Equal(lastBody.Count, h.Docs.Count);
    }
}
