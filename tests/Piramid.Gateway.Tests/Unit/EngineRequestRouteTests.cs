using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Identity;
using Piramid.Contracts.Routes;
using Piramid.Gateway.Authentication;
using Piramid.Gateway.Forwarding;
using Piramid.Gateway.Routing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Piramid.Gateway.Tests.Unit;

/// <summary>
/// A data request's route is matched once, at the door (<see cref="DataRoutes"/>), and carried: the access check and
/// <see cref="EngineRequest"/> use that route object, not a second match of the path.
/// </summary>
public sealed class EngineRequestRouteTests : IDisposable
{
    private static readonly RouteModel Engines = new(
        new RouteConfig { RouteId = "collections-all", ClusterId = GatewayProxyConfig.EnginesCluster },
        new ClusterState(GatewayProxyConfig.EnginesCluster), HttpTransformer.Default);

    private readonly WebApplication _app;

    public EngineRequestRouteTests()
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

    public static TheoryData<string, string, string> Routes()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var route in PublicRoutes.Engine)
        {
            data.Add(route.Name, route.Method, route.Template.Replace("{name}", "docs", StringComparison.Ordinal).Replace("{id}", "p%2F1", StringComparison.Ordinal));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task TheDoorsMatch_IsTheRouteTheEngineRequestCarries(string name, string method, string path)
    {
        var context = Context(method, path, Roles.Admin);
        var reachedNext = false;
        await DataRoutes.CheckAsync(context, _ =>
        {
            reachedNext = true;
            return Task.CompletedTask;
        });
        Assert.True(reachedNext, $"{method} {path} was refused at the door: {context.Response.StatusCode}");
        var matched = DataRoutes.Of(context);
        Assert.Equal(name, matched?.Name);

        await EngineRequest.DescribeAsync(context, _ => Task.CompletedTask);
        var request = EngineRequest.Of(context);
        Assert.NotNull(request);
        Assert.Same(matched, request.DataRoute);
        Assert.Equal(matched!.Units == UnitKind.Write, request.Write);
    }

    [Fact]
    public async Task TheAccessCheck_JudgesTheCarriedRoute_NotTheMatchOfThePathAgain()
    {
        // A search path carrying the collection-create route: a read-only key is refused what the carried route needs.
        var context = Context("POST", "/v1/collections/docs/search", Roles.ReadOnly);
        context.Features.Set(PublicRoutes.CollectionsCreate);
        var policy = (await _app.Services.GetRequiredService<IAuthorizationPolicyProvider>().GetPolicyAsync(GatewayProxyConfig.TenantPolicy))!;
        var result = await _app.Services.GetRequiredService<IAuthorizationService>().AuthorizeAsync(context.User, context, policy);
        Assert.False(result.Succeeded);
        Assert.Contains(result.Failure!.FailureReasons, r => r.Message.Contains("manage collections", StringComparison.Ordinal));

        // Without a carried route nothing is admitted, even on a path of the table.
        var unmatched = Context("POST", "/v1/collections/docs/search", Roles.Admin);
        Assert.False((await _app.Services.GetRequiredService<IAuthorizationService>().AuthorizeAsync(unmatched.User, unmatched, policy)).Succeeded);
    }

    [Fact]
    public async Task WithoutACarriedRoute_NoEngineRequestIsMade()
    {
        // Not a data route (the control plane's, or one the door refused): nothing for the data limits to describe.
        var context = Context("POST", "/v1/collections/docs/search", Roles.Admin);
        var reachedNext = false;
        await EngineRequest.DescribeAsync(context, _ =>
        {
            reachedNext = true;
            return Task.CompletedTask;
        });
        Assert.True(reachedNext);
        Assert.Null(EngineRequest.Of(context));
    }

    public void Dispose() => ((IDisposable)_app).Dispose();

    private DefaultHttpContext Context(string method, string path, string role)
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(GatewayClaims.Tenant, "t1"), new Claim(GatewayClaims.Principal, "k1"), new Claim(GatewayClaims.Role, role)], "test"));
        var context = new DefaultHttpContext { RequestServices = _app.Services, User = user };
        context.Request.Method = method;
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        context.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(Engines), Engines.Config.RouteId));
        context.Features.Set<IReverseProxyFeature>(new ReverseProxyFeature { Route = Engines, Cluster = Engines.Cluster!.Model, AllDestinations = [], AvailableDestinations = [] });
        context.Items[ApiKeyAuthenticationHandler.IdentityItem] = new KeyIntrospectionResponse
        {
            KeyId = "k1",
            TenantId = "t1",
            Role = role,
            Collections = [],
            Plan = new PlanInfo { Id = "free" },
        };
        return context;
    }
}
