using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Time.Testing;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Routes;
using Piramid.Gateway.Authentication;
using Piramid.Gateway.Forwarding;
using Piramid.Gateway.Limits;

namespace Piramid.Gateway.Tests.Unit;

/// <summary>
/// The plan's rate limit as the routes' named policy: the partitioner decides from the key's and the tenant's buckets
/// and writes the headers; the middleware gets one of two fixed partitions whose limiters answer with cached leases.
/// </summary>
public sealed class PlanRateLimiterPolicyTests
{
    [Fact]
    public async Task TheBurstIsAdmitted_ThenRefused_WithTheHeadersOfEachDecision_AndTheSameLeasesEveryTime()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-06T00:00:00Z", CultureInfo.InvariantCulture));
        var policy = new PlanRateLimiterPolicy(new RateLimits(clock));
        var plan = new PlanInfo { Id = "p", ReadRatePerSecond = 1, ReadBurst = 3 };
        var leases = new HashSet<object>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < 5; i++)
        {
            var context = await RequestAsync(plan);
            var partition = policy.GetPartition(context);
            using var lease = partition.Factory(partition.PartitionKey).AttemptAcquire();
            leases.Add(lease);
            var admitted = i < 3;
            Assert.Equal(admitted, lease.IsAcquired);
            Assert.Equal(admitted ? "admitted" : "refused", partition.PartitionKey);
            Assert.Equal("3", context.Response.Headers["RateLimit-Limit"].ToString());
            Assert.Equal(admitted ? (2 - i).ToString(CultureInfo.InvariantCulture) : "0", context.Response.Headers["RateLimit-Remaining"].ToString());
            Assert.Equal(admitted ? "0" : "1", context.Response.Headers["RateLimit-Reset"].ToString());
            Assert.Equal(!admitted, context.Response.Headers.RetryAfter.Count == 1);
        }

        // One lease for every admission and one for every refusal: nothing is made per request.
        Assert.Equal(2, leases.Count);

        // A token is back after a second.
        clock.Advance(TimeSpan.FromSeconds(1));
        var again = policy.GetPartition(await RequestAsync(plan));
        Assert.True(again.Factory(again.PartitionKey).AttemptAcquire().IsAcquired);
    }

    [Fact]
    public void ARequestWithoutAKey_IsNotThePlansToLimit()
    {
        var policy = new PlanRateLimiterPolicy(new RateLimits(new FakeTimeProvider()));
        var context = new DefaultHttpContext();
        var partition = policy.GetPartition(context);
        Assert.True(partition.Factory(partition.PartitionKey).AttemptAcquire().IsAcquired);
        Assert.False(context.Response.Headers.ContainsKey("RateLimit-Limit"));
        Assert.NotNull(((IRateLimiterPolicy<string>)policy).OnRejected);
    }

    private static async Task<DefaultHttpContext> RequestAsync(PlanInfo plan)
    {
        var context = new DefaultHttpContext
        {
            User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(GatewayClaims.Tenant, "t1")], "test")),
        };
        context.Items[ApiKeyAuthenticationHandler.IdentityItem] = new KeyIntrospectionResponse { KeyId = "k1", TenantId = "t1", Role = "read_only", Collections = [], Plan = plan };
        context.Features.Set(PublicRoutes.Search);
        await EngineRequest.DescribeAsync(context, _ => Task.CompletedTask);
        Assert.NotNull(EngineRequest.Of(context));
        return context;
    }
}
