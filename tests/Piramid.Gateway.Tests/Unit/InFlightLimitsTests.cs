using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Piramid.Gateway.Forwarding;

namespace Piramid.Gateway.Tests.Unit;

/// <summary>
/// Requests in flight per tenant: admitted up to the plan's limit (the option when the plan is silent), then
/// queued for a slot for a bounded time, tenants apart.
/// </summary>
public sealed class InFlightLimitsTests
{
    private readonly FakeTimeProvider _time = new();

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(64)]
    public async Task UpToTheLimit_Admitted_ThenRefused_UntilOneExits(int limit)
    {
        var limits = Limits(defaultLimit: limit, queueWait: TimeSpan.Zero);
        for (var i = 0; i < limit; i++)
        {
            Assert.True(await limits.TryEnter("t1", null, default));
        }

        Assert.False(await limits.TryEnter("t1", null, default));
        Assert.Equal(limit, limits.InFlight("t1")); // a refusal takes no place
        Assert.True(await limits.TryEnter("t2", null, default)); // another tenant has its own places

        limits.Exit("t1", null);
        Assert.True(await limits.TryEnter("t1", null, default));
        Assert.False(await limits.TryEnter("t1", null, default));
        Assert.Equal(limit + 1, limits.Admitted("t1"));
        Assert.Equal(1, limits.Admitted("t2"));
    }

    [Fact]
    public async Task ThePlansLimit_OverridesTheOption()
    {
        var limits = Limits(defaultLimit: 64, queueWait: TimeSpan.Zero);

        Assert.True(await limits.TryEnter("t", 2, default));
        Assert.True(await limits.TryEnter("t", 2, default));
        Assert.False(await limits.TryEnter("t", 2, default));
        Assert.Equal(2, limits.InFlight("t"));
    }

    [Fact]
    public async Task PastTheLimit_ARequestWaits_AndGetsTheSlotAnExitFrees()
    {
        var limits = Limits(defaultLimit: 1, queueWait: TimeSpan.FromSeconds(1));
        Assert.True(await limits.TryEnter("t", null, default));

        var waiting = limits.TryEnter("t", null, default).AsTask();
        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, limits.Waiting("t"));

        limits.Exit("t", null);
        Assert.True(await waiting);
        Assert.Equal(1, limits.InFlight("t"));
        Assert.Equal(0, limits.Waiting("t"));
    }

    [Fact]
    public async Task AWaitThatOutlastsTheQueueTime_IsRefused_AndLeavesNoPlace()
    {
        var limits = Limits(defaultLimit: 1, queueWait: TimeSpan.FromSeconds(1));
        Assert.True(await limits.TryEnter("t", null, default));

        var waiting = limits.TryEnter("t", null, default).AsTask();
        _time.Advance(TimeSpan.FromSeconds(1.1));

        Assert.False(await waiting);
        Assert.Equal(0, limits.Waiting("t"));
        limits.Exit("t", null);
        Assert.Equal(0, limits.InFlight("t")); // the refused waiter was not handed the freed slot
    }

    [Fact]
    public async Task NoMoreWaitThanTheLimit_TheNextIsRefusedAtOnce()
    {
        var limits = Limits(defaultLimit: 2, queueWait: TimeSpan.FromSeconds(1));
        Assert.True(await limits.TryEnter("t", null, default));
        Assert.True(await limits.TryEnter("t", null, default));
        var first = limits.TryEnter("t", null, default).AsTask();
        var second = limits.TryEnter("t", null, default).AsTask();

        Assert.False(await limits.TryEnter("t", null, default));
        Assert.Equal(2, limits.Waiting("t"));
        limits.Exit("t", null);
        limits.Exit("t", null);
        Assert.True(await first);
        Assert.True(await second);
    }

    [Fact]
    public async Task ConcurrentEntries_NeverAdmitMoreThanTheLimit()
    {
        const int limit = 8;
        var limits = Limits(defaultLimit: limit, queueWait: TimeSpan.Zero);
        using var start = new Barrier(4);
        var admitted = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            start.SignalAndWait();
            var mine = 0;
            for (var i = 0; i < 1000; i++)
            {
                mine += await limits.TryEnter("t", null, default) ? 1 : 0;
            }

            return mine;
        })));

        Assert.Equal(limit, admitted.Sum());
        Assert.Equal(limit, limits.InFlight("t"));
    }

    [Fact]
    public async Task ATenantNeverSeen_HasNothingInFlight_AndAnExitWithoutEntryChangesNothing()
    {
        var limits = Limits(defaultLimit: 1, queueWait: TimeSpan.Zero);
        limits.Exit("ghost", null);
        Assert.Equal(0, limits.InFlight("ghost"));
        Assert.Equal(0, limits.Admitted("ghost"));
        Assert.True(await limits.TryEnter("ghost", null, default));
    }

    private InFlightLimits Limits(int defaultLimit, TimeSpan queueWait) =>
        new(Options.Create(new GatewayOptions { MaxConcurrentRequestsPerTenant = defaultLimit, InFlightQueueWait = queueWait }), _time);
}
