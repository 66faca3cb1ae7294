using System.Net;
using System.Text;
using Npgsql;
using Piramid.ControlPlane.Tests.Auditing;
using Piramid.ControlPlane.Tests.Support;

namespace Piramid.ControlPlane.Tests.Admin;

/// <summary>
/// A key change and its audit event stand or fall together: when the audit event cannot be written (a trigger in the
/// real PostgreSQL refuses it), create, change, rotate and revoke each leave every table as it was.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ApiKeyAuditAtomicityTests(PostgresFixture postgres)
{
    [Fact]
    public async Task EveryKeyChange_WhoseAuditEventFails_ChangesNothing()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        var tenantId = await RetentionTests.SeedTenantAsync(host);
        using var admin = await host.ClientAsync(host.Operator);
        using var created = await SendAsync(admin, HttpMethod.Post, $"/v1/tenants/{tenantId}/api-keys", """{"name":"svc","role":"read_write"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var keyId = System.Text.Json.Nodes.JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        await RefuseKeyAuditEventsAsync(host);

        var attempts = new (HttpMethod Method, string Path, string? Body)[]
        {
            (HttpMethod.Post, $"/v1/tenants/{tenantId}/api-keys", """{"name":"another","role":"admin"}"""),
            (HttpMethod.Patch, $"/v1/tenants/{tenantId}/api-keys/{keyId}", """{"name":"renamed","collections":["docs"]}"""),
            (HttpMethod.Post, $"/v1/tenants/{tenantId}/api-keys/{keyId}/rotate", """{"grace_period_seconds":60}"""),
            (HttpMethod.Delete, $"/v1/tenants/{tenantId}/api-keys/{keyId}", null),
        };
        foreach (var (method, path, body) in attempts)
        {
            var before = await DatabaseFingerprint.TakeAsync(host);
            using var answer = await SendAsync(admin, method, path, body);
            Assert.False(answer.IsSuccessStatusCode, $"{method} {path} succeeded without its audit event");
            Assert.Equal(before, await DatabaseFingerprint.TakeAsync(host));
        }
    }

    private static async Task RefuseKeyAuditEventsAsync(ControlPlaneHost host)
    {
        await using var connection = new NpgsqlConnection(host.App.Configuration.GetConnectionString("ControlPlane"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            CREATE FUNCTION test_refuse_key_audit() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN IF NEW.action LIKE 'api_key.%' THEN RAISE EXCEPTION 'audit refused by the test'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER test_refuse_key_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION test_refuse_key_audit();
            """,
            connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await http.SendAsync(request);
    }
}
