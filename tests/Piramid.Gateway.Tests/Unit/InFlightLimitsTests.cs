using Microsoft.Extensions.Options;
using Piramid.Gateway.Forwarding;

namespace Piramid.Gateway.Tests.Unit;

/// <summary>Requests in flight per tenant: admitted up to the limit, each exit frees one place, tenants apart.</summary>
public sealed class InFlightLimitsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(64)]
    public void UpToTheLimit_Admitted_ThenRefused_UntilOneExits(int limit)
    {
        var limits = new InFlightLimits(Options.Create(new GatewayOptions { MaxConcurrentRequestsPerTenant = limit }));
        for (var i = 0; i < limit; i++)
        {
            Assert.True(limits.TryEnter("t1"));
        }

        Assert.False(limits.TryEnter("t1"));
        Assert.Equal(limit, limits.InFlight("t1")); // a refusal takes no place
        Assert.True(limits.TryEnter("t2")); // another tenant has its own places

        limits.Exit("t1");
        Assert.True(limits.TryEnter("t1"));
        Assert.False(limits.TryEnter("t1"));
        Assert.Equal(limit + 1, limits.Admitted("t1"));
        Assert.Equal(1, limits.Admitted("t2"));
    }

    [Fact]
    public async Task ConcurrentEntries_NeverAdmitMoreThanTheLimit()
    {
        const int limit = 8;
        var limits = new InFlightLimits(Options.Create(new GatewayOptions { MaxConcurrentRequestsPerTenant = limit }));
        using var start = new Barrier(4);
        var admitted = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            var mine = 0;
            for (var i = 0; i < 1000; i++)
            {
                mine += limits.TryEnter("t") ? 1 : 0;
            }

            return mine;
        })));

        Assert.Equal(limit, admitted.Sum());
        Assert.Equal(limit, limits.InFlight("t"));
    }

    [Fact]
    public void ATenantNeverSeen_HasNothingInFlight_AndAnExitWithoutEntryChangesNothing()
    {
        var limits = new InFlightLimits(Options.Create(new GatewayOptions { MaxConcurrentRequestsPerTenant = 1 }));
        limits.Exit("ghost");
        Assert.Equal(0, limits.InFlight("ghost"));
        Assert.Equal(0, limits.Admitted("ghost"));
        Assert.True(limits.TryEnter("ghost"));
    }
}
