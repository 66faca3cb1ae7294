using System.Security.Claims;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Time.Testing;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Problems;
using Piramid.Gateway.Authentication;
using Piramid.Gateway.Forwarding;
using Piramid.Gateway.Limits;
using Piramid.Gateway.Routing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Piramid.Gateway.Tests.Unit;

/// <summary>The data routes' named rate-limiter policy alone, on a fake clock: partitions, the shared buckets, the refusal.</summary>
public sealed class PlanRateLimiterPolicyTests
{
    private static readonly PlanInfo Plan = new() { Id = "p", ReadRatePerSecond = 2, ReadBurst = 3, WriteRatePerSecond = 1, WriteBurst = 1 };

    [Fact]
    public async Task APartition_AdmitsTheBurst_ThenRefusesWithRetryAfter_UntilATokenRefills()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var policy = new PlanRateLimiterPolicy(new RateLimits(clock), clock);
        var context = await RequestAsync("k1", "GET", "/v1/collections/docs");
        var limiter = Limiter(policy, context);
        for (var i = 0; i < 3; i++)
        {
            using var admitted = limiter.AttemptAcquire();
            Assert.True(admitted.IsAcquired);
        }

        using var refused = limiter.AttemptAcquire();
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(1), retryAfter);

        clock.Advance(TimeSpan.FromMilliseconds(500)); // one token at 2 per second
        using var again = limiter.AttemptAcquire();
        Assert.True(again.IsAcquired);
    }

    [Fact]
    public async Task PartitionsOfOneTenant_ShareItsBucket_ReadsAndWritesApart()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var policy = new PlanRateLimiterPolicy(new RateLimits(clock), clock);
        var first = await RequestAsync("k1", "GET", "/v1/collections/docs");
        var second = await RequestAsync("k2", "GET", "/v1/collections/docs");
        var write = await RequestAsync("k1", "POST", "/v1/collections/docs/points");
        Assert.NotEqual(policy.GetPartition(first).PartitionKey, policy.GetPartition(second).PartitionKey);
        Assert.NotEqual(policy.GetPartition(first).PartitionKey, policy.GetPartition(write).PartitionKey);

        for (var i = 0; i < 3; i++)
        {
            using var lease = Limiter(policy, i % 2 == 0 ? first : second).AttemptAcquire();
            Assert.True(lease.IsAcquired);
        }

        using var tenantEmpty = Limiter(policy, second).AttemptAcquire();
        Assert.False(tenantEmpty.IsAcquired); // k2 has tokens left, its tenant has none
        using var writeLease = Limiter(policy, write).AttemptAcquire();
        Assert.True(writeLease.IsAcquired);
    }

    [Fact]
    public async Task ARefusal_Is429_WithTheProblemAndHeaders()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var policy = new PlanRateLimiterPolicy(new RateLimits(clock), clock);
        var context = await RequestAsync("k1", "POST", "/v1/collections/docs/points");
        var limiter = Limiter(policy, context);
        limiter.AttemptAcquire().Dispose();
        using var refused = limiter.AttemptAcquire();

        await policy.OnRejected!(new OnRejectedContext { HttpContext = context, Lease = refused }, CancellationToken.None);
        Assert.Equal(StatusCodes.Status429TooManyRequests, context.Response.StatusCode);
        Assert.Equal("1", context.Response.Headers.RetryAfter.ToString());
        Assert.Equal("1", context.Response.Headers["RateLimit-Limit"].ToString());
        Assert.Equal("0", context.Response.Headers["RateLimit-Remaining"].ToString());
        context.Response.Body.Position = 0;
        Assert.Equal(ProblemTypes.RateLimited, (await JsonNode.ParseAsync(context.Response.Body))!["type"]!.GetValue<string>());
    }

    [Fact]
    public void RequestsThatAreNotTenantDataRequests_AreNotLimited()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var policy = new PlanRateLimiterPolicy(new RateLimits(clock), clock);
        var limiter = Limiter(policy, new DefaultHttpContext());
        for (var i = 0; i < 100; i++)
        {
            using var lease = limiter.AttemptAcquire();
            Assert.True(lease.IsAcquired);
        }
    }

    private static RateLimiter Limiter(PlanRateLimiterPolicy policy, HttpContext context)
    {
        var partition = policy.GetPartition(context);
        return partition.Factory(partition.PartitionKey);
    }

    // A data request as the middleware before the limiter leaves it: authenticated, described.
    private static async Task<HttpContext> RequestAsync(string keyId, string method, string path)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = method;
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(GatewayClaims.Tenant, "t1"), new Claim(GatewayClaims.Role, "admin")], "test"));
        context.Items[ApiKeyAuthenticationHandler.IdentityItem] = new KeyIntrospectionResponse { KeyId = keyId, TenantId = "t1", Role = "admin", Collections = [], Plan = Plan };
        var route = new RouteModel(new RouteConfig { RouteId = "collections-all", ClusterId = GatewayProxyConfig.EnginesCluster }, new ClusterState(GatewayProxyConfig.EnginesCluster), HttpTransformer.Default);
        context.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(route), "collections-all"));
        await EngineRequest.DescribeAsync(context, () => Task.CompletedTask);
        Assert.NotNull(EngineRequest.Of(context));
        return context;
    }
}
