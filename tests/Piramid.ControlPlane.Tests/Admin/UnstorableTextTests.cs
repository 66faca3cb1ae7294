using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Piramid.ControlPlane.Tests.Support;

namespace Piramid.ControlPlane.Tests.Admin;

/// <summary>
/// Text that JSON and URLs carry but PostgreSQL cannot store (a NUL, an unpaired surrogate) is refused at the
/// edge with a 400 naming the field, on every surface, with or without a credential; nothing is written.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class UnstorableTextTests(PostgresFixture postgres)
{
    // caller: o = operator, g = gateway, n = none. "{t}" is a real tenant's id.
    private static readonly (string Caller, string Method, string Path, string? Body, string Kind, string Field)[] Cases =
    [
        ("o", "POST", "/v1/tenants", """{"name":"a\u0000b"}""", "json", "'$.name'"),
        ("n", "POST", "/v1/tenants", """{"name":"a\u0000b"}""", "json", "'$.name'"),
        ("o", "POST", "/v1/tenants", """{"name":"ok","plan":"fr\ud800ee"}""", "json", "'$.plan'"),
        ("o", "PATCH", "/v1/tenants/{t}", """{"name":"x\udc00"}""", "json", "'$.name'"),
        ("o", "POST", "/v1/tenants/{t}/api-keys", """{"name":"k\u0000","role":"admin"}""", "json", "'$.name'"),
        ("o", "POST", "/v1/tenants/{t}/api-keys", """{"name":"k","role":"admin","collections":["docs","a\u0000"]}""", "json", "'$.collections[1]'"),
        ("o", "POST", "/v1/tenants/{t}/api-keys", """{"na\u0000me":"k","role":"admin"}""", "json", "field name"),
        ("o", "PUT", "/v1/plans/p1", """{"name":"P\u0000"}""", "json", "'$.name'"),
        // A %00 in the path never reaches the app: Kestrel itself answers 400 (the fuzz test covers it).
        ("o", "GET", "/v1/tenants/{t}/audit?actor=%00", null, "json", "'actor'"),
        ("o", "GET", "/v1/tenants?x%00=1", null, "json", "query parameter name"),
        ("g", "POST", "/internal/v1/keys/introspect", """{"key_id":"k\u0000","secret_sha256":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}""", "json", "'$.key_id'"),
        ("g", "POST", "/internal/v1/members/introspect", """{"tenant_id":"t\u0000","user_id":"00000000-0000-0000-0000-000000000001"}""", "json", "'$.tenant_id'"),
        ("n", "POST", "/connect/token", "grant_type=client_credentials&client_id=a%00b&client_secret=s", "form", "'client_id'"),
        ("n", "POST", "/connect/token", "grant_type=client_credentials&client_id=op&client_secret=%00", "form", "'client_secret'"),
        ("n", "POST", "/account/login", "email=a%00&password=s&return_url=%2F", "form", "'email'"),
        ("n", "GET", "/account/login?ReturnUrl=%2F%00", null, "json", "'ReturnUrl'"),
    ];

    [Fact]
    public async Task UnstorableText_OnEverySurface_Is400NamingTheField_NothingWritten()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        var tenantId = await SeedTenantAsync(host);
        var before = await DatabaseFingerprint.TakeAsync(host);
        foreach (var (caller, method, path, body, kind, field) in Cases)
        {
            await CheckAsync(host, tenantId, caller, method, path, body, kind, field);
        }

        Assert.Equal(before, await DatabaseFingerprint.TakeAsync(host));
    }

    private static async Task CheckAsync(ControlPlaneHost host, string tenantId, string caller, string method, string path, string? body, string kind, string field)
    {
        using var http = await host.ClientAsync(caller switch { "o" => host.Operator, "g" => host.Gateway, _ => null });
        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{t}", tenantId, StringComparison.Ordinal));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, kind == "form" ? "application/x-www-form-urlencoded" : "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {path}: {(int)response.StatusCode} {text}");
        Assert.True(text.Length > 0, $"{method} {path}: an empty {(int)response.StatusCode}");
        var json = JsonNode.Parse(text)!;
        var detail = path.StartsWith("/connect/", StringComparison.Ordinal)
            ? Assert.IsType<string>(json["error_description"]?.GetValue<string>()) // the OAuth error object
            : Assert.IsType<string>(json["detail"]?.GetValue<string>());
        if (!path.StartsWith("/connect/", StringComparison.Ordinal))
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        else
        {
            Assert.Equal("invalid_request", json["error"]!.GetValue<string>());
        }

        Assert.True(detail.Contains(field, StringComparison.Ordinal), $"{method} {path}: '{detail}' does not name {field}");
    }

    private static async Task<string> SeedTenantAsync(ControlPlaneHost host)
    {
        await using var scope = host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Piramid.ControlPlane.Data.ControlPlaneDbContext>();
        var now = DateTimeOffset.UtcNow;
        var tenant = new Piramid.ControlPlane.Data.Entities.Tenant
        {
            Id = "t_text",
            Name = "text",
            PlanId = "free",
            Status = Piramid.ControlPlane.Data.Entities.TenantStatus.Active,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Tenants.Add(tenant);
        await db.SaveChangesAsync();
        return tenant.Id;
    }
}
