using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Piramid.Contracts.Identity;
using Piramid.ControlPlane.Identity;
using Piramid.ControlPlane.Tests.Auditing;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit;

namespace Piramid.ControlPlane.Tests.Identity;

/// <summary>Neither the token endpoint nor key introspection tells an unknown id from a wrong secret.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ClientEnumerationTests(PostgresFixture postgres)
{
    [Fact]
    public async Task TokenEndpoint_UnknownClientAndWrongSecret_SameBody_SameHashingWork()
    {
        var (_, connectionString) = await postgres.CreateMigratedDatabaseAsync();
        using var keys = new TempDirectory();
        await using var host = await IdentityTestHost.StartAsync(connectionString, keys.Combine("keys.json"));
        var admin = (await host.WithBootstrapperAsync(b => b.EnsureBootstrapOperatorAsync()))!;
        var checks = host.App.Services.GetRequiredService<ClientSecretChecks>();

        var wrongSecret = await RefuseAsync(host, checks, admin.ClientId, ClientCredentialsTests.ChangeLastChar(admin.ClientSecret));
        var unknownId = await RefuseAsync(host, checks, "nobody-" + admin.ClientId, admin.ClientSecret);

        Assert.Equal(wrongSecret.Status, unknownId.Status);
        Assert.Equal(wrongSecret.Body, unknownId.Body);
        Assert.Contains("invalid_client", wrongSecret.Body, StringComparison.Ordinal);
        // One PBKDF2 secret check either way: the unknown id is checked against a dummy hash.
        Assert.Equal(1, wrongSecret.Checks);
        Assert.Equal(1, unknownId.Checks);
    }

    [Fact]
    public async Task KeyIntrospection_UnknownIdAndWrongSecret_SameAnswer()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        var tenantId = await RetentionTests.SeedTenantAsync(host);
        using var admin = await host.ClientAsync(host.Operator);
        using var gateway = await host.ClientAsync(host.Gateway);
        using var created = await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api-keys", new { name = "k", role = "admin" });
        var key = (await created.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["key"]!.GetValue<string>();
        Assert.True(ApiKeyFormat.TryParse(key, out var keyId, out var secret));

        var wrong = await IntrospectAsync(gateway, keyId, secret + "x");
        var unknown = await IntrospectAsync(gateway, "k" + keyId[1..] + "0", secret);
        Assert.Equal((404, wrong.Body), (wrong.Status, unknown.Body));
        Assert.Equal(wrong.Status, unknown.Status);
        Assert.Equal(200, (await IntrospectAsync(gateway, keyId, secret)).Status);
    }

    private static async Task<(int Status, string Body, long Checks)> RefuseAsync(IdentityTestHost host, ClientSecretChecks checks, string clientId, string secret)
    {
        var before = checks.Total;
        using var response = await host.RequestClientCredentialsAsync(clientId, secret);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), checks.Total - before);
    }

    private static async Task<(int Status, string Body)> IntrospectAsync(HttpClient gateway, string keyId, string secret)
    {
        using var response = await gateway.PostAsJsonAsync("/internal/v1/keys/introspect",
            new { key_id = keyId, secret_sha256 = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(secret))) });
        var body = await response.Content.ReadAsStringAsync();
        // The request id differs per call by design; everything else must match.
        return ((int)response.StatusCode, System.Text.RegularExpressions.Regex.Replace(body, "\"(request_id|trace_id)\":\"[^\"]*\"", string.Empty));
    }
}
