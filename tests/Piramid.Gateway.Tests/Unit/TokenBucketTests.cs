using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Piramid.Contracts.Admin;
using Piramid.Gateway.Limits;

namespace Piramid.Gateway.Tests.Unit;

/// <summary>The plan's token buckets on a fake clock: burst, refill one token per 1/rate, per key and per tenant, reads apart from writes.</summary>
public sealed class TokenBucketTests
{
    private static readonly PlanInfo Plan = new() { Id = "p", ReadRatePerSecond = 10, ReadBurst = 5, WriteRatePerSecond = 2, WriteBurst = 3 };

    [Fact]
    public void ABurst_IsAdmitted_ThenRefused_UntilOneTokenRefills()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var limits = new RateLimits(clock);
        for (var i = 0; i < 5; i++)
        {
            var admitted = limits.Admit("t", "k", write: false, Plan);
            Assert.True(admitted.Admitted);
            Assert.Equal(5, admitted.Limit);
            Assert.Equal(4 - i, admitted.Remaining);
        }

        var refused = limits.Admit("t", "k", write: false, Plan);
        Assert.False(refused.Admitted);
        Assert.Equal(1, refused.RetryAfterSeconds);

        clock.Advance(TimeSpan.FromMilliseconds(99)); // a token takes 100 ms at 10 per second
        Assert.False(limits.Admit("t", "k", write: false, Plan).Admitted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(limits.Admit("t", "k", write: false, Plan).Admitted);
        Assert.False(limits.Admit("t", "k", write: false, Plan).Admitted);
    }

    [Fact]
    public void OnePrincipal_InTwoTenants_HasABucketInEach()
    {
        var limits = new RateLimits(new FakeTimeProvider(DateTimeOffset.UtcNow));
        for (var i = 0; i < 5; i++)
        {
            Assert.True(limits.Admit("tenant-a", "user:1", write: false, Plan).Admitted);
        }

        Assert.False(limits.Admit("tenant-a", "user:1", write: false, Plan).Admitted);
        var elsewhere = limits.Admit("tenant-b", "user:1", write: false, Plan);
        Assert.True(elsewhere.Admitted);
        Assert.Equal(4, elsewhere.Remaining);
    }

    [Fact]
    public void ReadsAndWrites_HaveBucketsOfTheirOwn()
    {
        var limits = new RateLimits(new FakeTimeProvider(DateTimeOffset.UtcNow));
        for (var i = 0; i < 3; i++)
        {
            Assert.True(limits.Admit("t", "k", write: true, Plan).Admitted);
        }

        Assert.False(limits.Admit("t", "k", write: true, Plan).Admitted);
        Assert.True(limits.Admit("t", "k", write: false, Plan).Admitted);
    }

    [Fact]
    public void KeysOfOneTenant_ShareTheTenantsBucket_AndOtherTenantsDoNot()
    {
        var limits = new RateLimits(new FakeTimeProvider(DateTimeOffset.UtcNow));
        for (var i = 0; i < 5; i++)
        {
            Assert.True(limits.Admit("t", $"k{i}", write: false, Plan).Admitted); // one request per key: keys have room
        }

        Assert.False(limits.Admit("t", "k-new", write: false, Plan).Admitted); // the tenant has none
        Assert.True(limits.Admit("t2", "k-other", write: false, Plan).Admitted);
    }

    [Fact]
    public void APlanChange_TakesEffectAtOnce()
    {
        var limits = new RateLimits(new FakeTimeProvider(DateTimeOffset.UtcNow));
        for (var i = 0; i < 5; i++)
        {
            limits.Admit("t", "k", write: false, Plan);
        }

        Assert.False(limits.Admit("t", "k", write: false, Plan).Admitted);
        var bigger = new PlanInfo { Id = "p", ReadRatePerSecond = 100, ReadBurst = 50 };
        var admitted = limits.Admit("t", "k", write: false, bigger);
        Assert.True(admitted.Admitted);
        Assert.Equal(50, admitted.Limit);
    }

    [Fact]
    public void APlanWithoutNumbers_AllowsOneRequestPerSecond()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var limits = new RateLimits(clock);
        var plan = new PlanInfo { Id = "bare" };
        Assert.True(limits.Admit("t", "k", write: false, plan).Admitted);
        Assert.False(limits.Admit("t", "k", write: false, plan).Admitted);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limits.Admit("t", "k", write: false, plan).Admitted);
    }

    [Theory]
    [InlineData(true, 7, 3, 0, null)]
    [InlineData(false, 7, 0, 2, "2")]
    [InlineData(false, 7, 0, 0, "1")]
    public void Headers_CarryLimitRemainingResetAndRetryAfter(bool admitted, int limit, long remaining, int retryAfter, string? expectedRetryAfter)
    {
        var context = new DefaultHttpContext();
        RateLimits.WriteHeaders(context.Response, new RateLimits.Decision(admitted, limit, remaining, retryAfter));
        Assert.Equal(limit.ToString(System.Globalization.CultureInfo.InvariantCulture), context.Response.Headers["RateLimit-Limit"].ToString());
        Assert.Equal(remaining.ToString(System.Globalization.CultureInfo.InvariantCulture), context.Response.Headers["RateLimit-Remaining"].ToString());
        Assert.Equal(admitted ? "0" : expectedRetryAfter, context.Response.Headers["RateLimit-Reset"].ToString());
        Assert.Equal(expectedRetryAfter ?? string.Empty, context.Response.Headers.RetryAfter.ToString());
    }
}
