using Piramid.Contracts.Identity;
using Piramid.Contracts.Routes;
using Piramid.DataPlane.Tests.Support;

namespace Piramid.DataPlane.Tests;

/// <summary>The engine process admits to each of its routes exactly the roles the route table admits.</summary>
public sealed class RouteTableRoleTests
{
    [Fact]
    public async Task EveryRoute_RefusesExactlyTheRolesTheTableRefuses()
    {
        await using var host = new EngineTestHost();
        var engine = await host.StartAsync();
        foreach (var role in new[] { Roles.ReadOnly, Roles.ReadWrite, Roles.Admin, Roles.PlatformAdmin })
        {
            using var http = engine.CreateClient(role);
            foreach (var route in PublicRoutes.Engine)
            {
                // A collection that does not exist and no body: an admitted call fails after the role check
                // (404, 400), so nothing is written, and only a refused one is 403.
                var path = route.Template.Replace("{name}", "absent", StringComparison.Ordinal).Replace("{id}", "p1", StringComparison.Ordinal);
                var (status, _, raw, _) = await http.SendAsync(new HttpMethod(route.Method), path);
                Assert.True(((int)status == 403) == !route.Admits(role), $"{role} on {route}: {(int)status} {raw}");
            }
        }
    }
}
