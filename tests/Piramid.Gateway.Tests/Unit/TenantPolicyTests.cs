using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Identity;
using Piramid.Contracts.Problems;
using Piramid.Gateway.Authentication;
using Piramid.Gateway.Forwarding;
using Piramid.Gateway.Routing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Piramid.Gateway.Tests.Unit;

/// <summary>
/// The tenant routes' authorization policy as the gateway registers it, evaluated alone (no server): each requirement's
/// refusal becomes the 403 problem it names, a suspension first.
/// </summary>
public sealed class TenantPolicyTests : IDisposable
{
    private readonly WebApplication _app;

    public TenantPolicyTests()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:ControlPlaneUrl"] = "http://127.0.0.1:1/",
            ["Gateway:ClientId"] = "gateway",
            ["Gateway:ClientSecret"] = "secret",
        });
        builder.AddGateway();
        _app = builder.Build();
    }

    [Theory]
    [InlineData(Roles.ReadOnly, "GET", "/v1/collections/docs/points/a", false, null, null)]
    [InlineData(Roles.ReadOnly, "POST", "/v1/collections/docs/points", false, ProblemTypes.Forbidden, "'read_only' may not write points")]
    [InlineData(Roles.ReadWrite, "PUT", "/v1/collections/docs", false, ProblemTypes.Forbidden, "'read_write' may not manage collections")]
    [InlineData(Roles.Admin, "GET", "/v1/collections/docs", true, ProblemTypes.TenantSuspended, "suspended")]
    [InlineData(Roles.ReadOnly, "POST", "/v1/collections/docs/points", true, ProblemTypes.TenantSuspended, "suspended")]
    public async Task DataRoutes_RoleAndSuspension(string role, string method, string path, bool suspended, string? type, string? detail)
    {
        var (allowed, problem) = await AuthorizeAsync(Route("collections-all", GatewayProxyConfig.EnginesCluster), User(role), method, path, suspended);
        Assert.Equal(type is null, allowed);
        Assert.Equal(type, problem?["type"]?.GetValue<string>());
        if (detail is not null)
        {
            Assert.Contains(detail, problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AScopedKey_IsRefusedOtherCollections_WithTheirName()
    {
        var route = Route("collections-all", GatewayProxyConfig.EnginesCluster);
        Assert.True((await AuthorizeAsync(route, User(Roles.Admin, "docs"), "POST", "/v1/collections/docs/search", false)).Allowed);
        var (allowed, problem) = await AuthorizeAsync(route, User(Roles.Admin, "docs"), "POST", "/v1/collections/films/search", false);
        Assert.False(allowed);
        Assert.Equal(ProblemTypes.Forbidden, problem!["type"]!.GetValue<string>());
        Assert.Contains("'films'", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    public void Dispose() => ((IDisposable)_app).Dispose();

    private async Task<(bool Allowed, JsonNode? Problem)> AuthorizeAsync(RouteModel route, ClaimsPrincipal user, string method, string path, bool suspended)
    {
        var context = new DefaultHttpContext { RequestServices = _app.Services, User = user };
        context.Request.Method = method;
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        context.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(route), route.Config.RouteId));
        if (route.Cluster?.ClusterId == GatewayProxyConfig.EnginesCluster)
        {
            // What the door (DataRoutes) does before authentication.
            context.Features.Set(TenantAccess.Route(method, path));
        }

        context.Items[ApiKeyAuthenticationHandler.IdentityItem] = new KeyIntrospectionResponse
        {
            KeyId = "k1",
            TenantId = "t1",
            Role = user.FindFirstValue(GatewayClaims.Role)!,
            Collections = [],
            Plan = new PlanInfo { Id = "free" },
            TenantSuspended = suspended,
        };
        var policy = (await _app.Services.GetRequiredService<IAuthorizationPolicyProvider>().GetPolicyAsync(GatewayProxyConfig.TenantPolicy))!;
        var result = await _app.Services.GetRequiredService<IAuthorizationService>().AuthorizeAsync(user, context, policy);
        if (result.Succeeded)
        {
            return (true, null);
        }

        await _app.Services.GetRequiredService<IAuthorizationMiddlewareResultHandler>()
            .HandleAsync(_ => Task.CompletedTask, context, policy, PolicyAuthorizationResult.Forbid(result.Failure));
        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
        context.Response.Body.Position = 0;
        return (false, await JsonNode.ParseAsync(context.Response.Body));
    }

    private static RouteModel Route(string routeId, string clusterId) =>
        new(new RouteConfig { RouteId = routeId, ClusterId = clusterId }, new ClusterState(clusterId), HttpTransformer.Default);

    private static ClaimsPrincipal User(string role, params string[] collections) => new(new ClaimsIdentity(
        [new Claim(GatewayClaims.Tenant, "t1"), new Claim(GatewayClaims.Principal, "k1"), new Claim(GatewayClaims.Role, role), .. collections.Select(c => new Claim(GatewayClaims.Collection, c))],
        "test"));
}
