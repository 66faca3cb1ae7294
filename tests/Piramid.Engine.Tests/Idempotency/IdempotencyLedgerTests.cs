using Piramid.Engine.Commands;
using Piramid.Engine.Idempotency;
using Piramid.TestKit.Time;

namespace Piramid.Engine.Tests.Idempotency;

/// <summary>
/// <see cref="IdempotencyLedger"/> alone, with the interleavings a real engine only hits by chance: a request whose
/// key is being executed waits for it and replays its result, or takes over when the first one was refused.
/// </summary>
public sealed class IdempotencyLedgerTests
{
    private const string Owner = "c1";

    [Fact]
    public async Task SecondClaim_WhileTheFirstRuns_WaitsAndReplaysItsResult()
    {
        var ledger = NewLedger(out var clock);
        var key = IdempotencyEngine.Key("k", "body");

        Assert.Null(await ledger.ClaimAsync(Owner, key, CancellationToken.None));
        var second = ledger.ClaimAsync(Owner, key, CancellationToken.None).AsTask();
        Assert.False(second.IsCompleted);

        ledger.Complete(Owner, key, 3, 42, clock.GetUtcNow());

        Assert.Equal(new WriteResult(3, 42), await second);
    }

    [Fact]
    public async Task SecondClaim_WhenTheFirstIsRefused_TakesTheKeyOver()
    {
        var ledger = NewLedger(out _);
        var key = IdempotencyEngine.Key("k", "body");
        Assert.Null(await ledger.ClaimAsync(Owner, key, CancellationToken.None));
        var second = ledger.ClaimAsync(Owner, key, CancellationToken.None).AsTask();

        ledger.Abandon(Owner, key);

        Assert.Null(await second);
        Assert.Equal(0, ledger.Count);
    }

    [Fact]
    public async Task OtherRequest_WhileTheFirstRuns_IsRefusedAtOnce()
    {
        var ledger = NewLedger(out _);
        Assert.Null(await ledger.ClaimAsync(Owner, IdempotencyEngine.Key("k", "body"), CancellationToken.None));

        var e = await Assert.ThrowsAsync<EngineException>(async () =>
            await ledger.ClaimAsync(Owner, IdempotencyEngine.Key("k", "other"), CancellationToken.None));

        Assert.Equal(EngineErrorKind.IdempotencyKeyReused, e.Kind);
    }

    [Fact]
    public async Task Owners_HaveSeparateKeys()
    {
        var ledger = NewLedger(out var clock);
        var key = IdempotencyEngine.Key("k", "body");
        Assert.Null(await ledger.ClaimAsync(Owner, key, CancellationToken.None));
        ledger.Complete(Owner, key, 1, 1, clock.GetUtcNow());

        Assert.Null(await ledger.ClaimAsync("c2", key, CancellationToken.None));
    }

    private static IdempotencyLedger NewLedger(out ManualClock clock)
    {
        clock = new ManualClock(IdempotencyEngine.Start);
        return new IdempotencyLedger(TimeSpan.FromHours(24), 100, clock);
    }
}
