using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Piramid.Contracts.Identity;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Identity;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit;

namespace Piramid.ControlPlane.Tests.Identity;

[Collection(PostgresCollection.Name)]
public sealed class BootstrapTests(PostgresFixture postgres)
{
    [Fact]
    public async Task EnsureBootstrapOperator_CreatesOnce_ReturnsSecretOnlyTheFirstTime_StoresNoClearSecret()
    {
        var (database, connectionString) = await postgres.CreateMigratedDatabaseAsync();
        using var keys = new TempDirectory();
        await using var host = await IdentityTestHost.StartAsync(connectionString, keys.Combine("keys.json"));

        var first = await host.WithBootstrapperAsync(b => b.EnsureBootstrapOperatorAsync());
        var second = await host.WithBootstrapperAsync(b => b.EnsureBootstrapOperatorAsync());

        Assert.NotNull(first);
        Assert.Equal(OperatorBootstrapper.BootstrapClientId, first.ClientId);
        Assert.Equal(43, first.ClientSecret.Length); // 256 bits, base64url without padding
        Assert.DoesNotContain(first.ClientSecret, first.ToString(), StringComparison.Ordinal);
        Assert.Null(second);

        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
            var row = await db.Operators.SingleAsync();
            Assert.Equal(first.ClientId, row.ClientId);
            Assert.Equal([Roles.PlatformAdmin], row.Roles);
        }

        // The first secret still works after the second call: idempotent means nothing was replaced.
        Assert.False(string.IsNullOrEmpty(await host.GetAccessTokenAsync(first)));

        var dump = await postgres.Server.DumpAsync(database);
        Assert.Contains(first.ClientId, dump, StringComparison.Ordinal);
        Assert.DoesNotContain(first.ClientSecret, dump, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateMachineClient_RefusesTenantRolesWithoutTenant_AndPlatformRolesForATenant()
    {
        var (_, connectionString) = await postgres.CreateMigratedDatabaseAsync();
        using var keys = new TempDirectory();
        await using var host = await IdentityTestHost.StartAsync(connectionString, keys.Combine("keys.json"));

        await Assert.ThrowsAsync<ArgumentException>(() => host.WithBootstrapperAsync(b => b.CreateMachineClientAsync("ci", [Roles.ReadWrite])));
        await Assert.ThrowsAsync<ArgumentException>(() => host.WithBootstrapperAsync(b => b.CreateMachineClientAsync("ci", [Roles.PlatformAdmin], tenantId: "t_missing")));
        await Assert.ThrowsAsync<ArgumentException>(() => host.WithBootstrapperAsync(b => b.CreateMachineClientAsync("ci", [])));

        var gateway = await host.WithBootstrapperAsync(b => b.CreateMachineClientAsync("gateway", [IdentityClaims.GatewayRole], clientId: "piramid-gateway"));
        Assert.Equal("piramid-gateway", gateway.ClientId);
        await Assert.ThrowsAsync<InvalidOperationException>(() => host.WithBootstrapperAsync(b => b.CreateMachineClientAsync("gateway", [IdentityClaims.GatewayRole], clientId: "piramid-gateway")));
    }
}
