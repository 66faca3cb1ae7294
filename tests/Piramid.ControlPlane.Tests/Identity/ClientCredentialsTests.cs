using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Piramid.Contracts.Identity;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Identity;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit;

namespace Piramid.ControlPlane.Tests.Identity;

[Collection(PostgresCollection.Name)]
public sealed class ClientCredentialsTests(PostgresFixture postgres)
{
    [Fact]
    public async Task ClientCredentials_IssuesRs256Jwt_WithRole_ThatValidatesAgainstTheJwks()
    {
        var (_, connectionString) = await postgres.CreateMigratedDatabaseAsync();
        using var keys = new TempDirectory();
        await using var host = await IdentityTestHost.StartAsync(connectionString, keys.Combine("keys.json"));
        var admin = (await host.WithBootstrapperAsync(b => b.EnsureBootstrapOperatorAsync()))!;

        var token = await host.GetAccessTokenAsync(admin);

        Assert.Equal(3, token.Split('.').Length);
        var header = JwksValidator.Header(token);
        Assert.Equal("RS256", header.GetProperty("alg").GetString());
        Assert.False(header.TryGetProperty("enc", out _)); // signed, not encrypted
        Assert.Equal("at+jwt", header.GetProperty("typ").GetString());
        var payload = JwksValidator.Payload(token);
        Assert.Equal(admin.ClientId, payload.GetProperty("sub").GetString());
        Assert.Equal("Bootstrap operator", payload.GetProperty("name").GetString());
        Assert.Equal("piramid", payload.GetProperty("aud").GetString());
        Assert.Equal(host.Issuer.ToString(), payload.GetProperty("iss").GetString());
        Assert.Equal(Roles.PlatformAdmin, payload.GetProperty("role").GetString());
        Assert.False(payload.TryGetProperty("tenant", out _));
        var lifetime = payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64();
        Assert.Equal(15 * 60, lifetime);

        var result = await JwksValidator.ValidateAsync(host, token);
        Assert.True(result.IsValid, result.Exception?.ToString());

        // The same checks fail for another audience or a tampered payload, so the validation above is real.
        Assert.False((await JwksValidator.ValidateAsync(host, token, audience: "someone-else")).IsValid);
        var parts = token.Split('.');
        var forged = JsonSerializer.Serialize(new { sub = "intruder", role = Roles.PlatformAdmin, aud = "piramid", iss = host.Issuer.ToString(), exp = payload.GetProperty("exp").GetInt64() });
        Assert.False((await JwksValidator.ValidateAsync(host, $"{parts[0]}.{Base64UrlEncoder.Encode(forged)}.{parts[2]}")).IsValid);
    }

    [Fact]
    public async Task PlatformAdminPolicy_200WithAdminToken_401WithoutOrForged_403WithoutTheRole()
    {
        var (_, connectionString) = await postgres.CreateMigratedDatabaseAsync();
        using var keys = new TempDirectory();
        await using var host = await IdentityTestHost.StartAsync(connectionString, keys.Combine("keys.json"));
        var admin = (await host.WithBootstrapperAsync(b => b.EnsureBootstrapOperatorAsync()))!;
        var gateway = await host.WithBootstrapperAsync(b => b.CreateMachineClientAsync("gateway", [IdentityClaims.GatewayRole]));
        var adminToken = await host.GetAccessTokenAsync(admin);
        var gatewayToken = await host.GetAccessTokenAsync(gateway);

        Assert.Equal(HttpStatusCode.OK, await host.GetStatusAsync(IdentityTestHost.AdminProbe, adminToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await host.GetStatusAsync(IdentityTestHost.AdminProbe, null));
        Assert.Equal(HttpStatusCode.Unauthorized, await host.GetStatusAsync(IdentityTestHost.AdminProbe, ChangeLastChar(adminToken)));
        Assert.Equal(HttpStatusCode.Forbidden, await host.GetStatusAsync(IdentityTestHost.AdminProbe, gatewayToken));

        Assert.Equal(HttpStatusCode.OK, await host.GetStatusAsync(IdentityTestHost.GatewayProbe, gatewayToken));
        Assert.Equal(HttpStatusCode.Forbidden, await host.GetStatusAsync(IdentityTestHost.GatewayProbe, adminToken));
    }

    [Fact]
    public async Task ClientCredentials_TenantClient_CarriesTenantClaimAndTenantRole()
    {
        var (_, connectionString) = await postgres.CreateMigratedDatabaseAsync();
        using var keys = new TempDirectory();
        await using var host = await IdentityTestHost.StartAsync(connectionString, keys.Combine("keys.json"));
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
            db.Tenants.Add(new Tenant { Id = "t_acme", Name = "acme", PlanId = "free", Status = TenantStatus.Active });
            await db.SaveChangesAsync();
        }

        var ci = await host.WithBootstrapperAsync(b => b.CreateMachineClientAsync("acme ci", [Roles.ReadWrite], tenantId: "t_acme"));
        var payload = JwksValidator.Payload(await host.GetAccessTokenAsync(ci));

        Assert.Equal("t_acme", payload.GetProperty("tenant").GetString());
        Assert.Equal(Roles.ReadWrite, payload.GetProperty("role").GetString());
        Assert.Equal(ci.ClientId, payload.GetProperty("sub").GetString());
    }

    [Fact]
    public async Task ClientCredentials_WrongSecretOrUnknownClient_InvalidClient()
    {
        var (_, connectionString) = await postgres.CreateMigratedDatabaseAsync();
        using var keys = new TempDirectory();
        await using var host = await IdentityTestHost.StartAsync(connectionString, keys.Combine("keys.json"));
        var admin = (await host.WithBootstrapperAsync(b => b.EnsureBootstrapOperatorAsync()))!;

        foreach (var (clientId, secret) in new[] { (admin.ClientId, ChangeLastChar(admin.ClientSecret)), ("nobody", admin.ClientSecret) })
        {
            using var response = await host.RequestClientCredentialsAsync(clientId, secret);
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, response.StatusCode.ToString());
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("invalid_client", body.RootElement.GetProperty("error").GetString());
            Assert.False(body.RootElement.TryGetProperty("access_token", out _));
        }
    }

    // Never equal to the input, whatever its last character.
    internal static string ChangeLastChar(string value) => value[..^1] + (value[^1] == 'A' ? 'B' : 'A');
}
