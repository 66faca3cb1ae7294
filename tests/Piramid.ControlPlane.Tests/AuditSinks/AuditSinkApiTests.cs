using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Tests.Backups;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit.Http;
using static Piramid.ControlPlane.Tests.AuditSinks.SinkTestSupport;

namespace Piramid.ControlPlane.Tests.AuditSinks;

/// <summary>
/// <c>PUT/GET/DELETE /v1/tenants/{id}/audit/sink</c>: bad input is a 400 naming the field and stores nothing, the
/// secret is write-only, a sink may not name a private address unless the platform allows it, and changes are audited.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AuditSinkApiTests(PostgresFixture postgres)
{
    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"kind":"kafka"}""", "'kind'" },
        { """{}""", "'kind'" },
        { """{"kind":"syslog","port":514}""", "'host'" },
        { """{"kind":"syslog","host":"bad host!","port":514}""", "'host'" },
        { """{"kind":"syslog","host":"syslog.example.com","port":0}""", "'port'" },
        { """{"kind":"syslog","host":"syslog.example.com","port":70000}""", "'port'" },
        { """{"kind":"syslog","host":"syslog.example.com","port":514,"bucket":"b"}""", "syslog sink takes only" },
        { """{"kind":"s3","bucket":"abc","access_key_id":"a","secret_access_key":"s"}""", "'endpoint'" },
        { """{"kind":"s3","endpoint":"ftp://s3.example.com","bucket":"abc","access_key_id":"a","secret_access_key":"s"}""", "'endpoint'" },
        { """{"kind":"s3","endpoint":"https://user:pw@s3.example.com","bucket":"abc","access_key_id":"a","secret_access_key":"s"}""", "'endpoint'" },
        { """{"kind":"s3","endpoint":"https://s3.example.com","bucket":"AB","access_key_id":"a","secret_access_key":"s"}""", "'bucket'" },
        { """{"kind":"s3","endpoint":"https://s3.example.com","bucket":"abc","region":"EU WEST","access_key_id":"a","secret_access_key":"s"}""", "'region'" },
        { """{"kind":"s3","endpoint":"https://s3.example.com","bucket":"abc","prefix":"/x","access_key_id":"a","secret_access_key":"s"}""", "'prefix'" },
        { """{"kind":"s3","endpoint":"https://s3.example.com","bucket":"abc","secret_access_key":"s"}""", "'access_key_id'" },
        { """{"kind":"s3","endpoint":"https://s3.example.com","bucket":"abc","access_key_id":"a"}""", "'secret_access_key'" },
        { """{"kind":"s3","endpoint":"https://s3.example.com","bucket":"abc","access_key_id":"a","secret_access_key":"s","port":1}""", "'port'" },
    };

    [Fact]
    public async Task BadBodies_Are400sNamingTheField_AndStoreNothing()
    {
        await using var f = await BackupFixture.StartAsync(postgres, "sink-api-bad", store: Settings());
        foreach (var (body, field) in BadBodies.Select(row => ((string)row[0], (string)row[1])))
        {
            using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            using var response = await f.Admin.PutAsync(new Uri($"/v1/tenants/{f.Tenant}/audit/sink", UriKind.Relative), content);
            var problem = await ProblemAssert.MatchesAsync(response, ProblemCatalog.InvalidRequest);
            Assert.True(((string)problem["detail"]!).Contains(field, StringComparison.Ordinal), $"{body}: {problem["detail"]}");
        }

        using var none = await f.Admin.GetAsync(new Uri($"/v1/tenants/{f.Tenant}/audit/sink", UriKind.Relative));
        await ProblemAssert.MatchesAsync(none, ProblemCatalog.NotFound);
    }

    [Fact]
    public async Task PrivateAddresses_AreRefused_UnlessThePlatformAllowsThem()
    {
        var settings = Settings();
        settings["AuditSinks:AllowPrivateAddresses"] = "false";
        await using var f = await BackupFixture.StartAsync(postgres, "sink-api-private", store: settings);
        foreach (var host in new[] { "127.0.0.1", "localhost", "10.1.2.3", "192.168.0.9", "169.254.169.254", "[::1]" })
        {
            using var response = await f.Admin.PutAsJsonAsync($"/v1/tenants/{f.Tenant}/audit/sink", new { kind = "syslog", host, port = 514 });
            var problem = await ProblemAssert.MatchesAsync(response, ProblemCatalog.InvalidRequest);
            Assert.Contains("private address", (string)problem["detail"]!, StringComparison.Ordinal);
        }

        using var s3 = await f.Admin.PutAsJsonAsync($"/v1/tenants/{f.Tenant}/audit/sink",
            new { kind = "s3", endpoint = "http://127.0.0.1:9000", bucket = "abc", access_key_id = "a", secret_access_key = "s" });
        await ProblemAssert.MatchesAsync(s3, ProblemCatalog.InvalidRequest);
    }

    [Fact]
    public async Task TheSecret_IsWriteOnly_KeptWhenOmitted_AndChangesAreAudited()
    {
        await using var f = await BackupFixture.StartAsync(postgres, "sink-api-ok", store: Settings());
        const string secret = "very-secret-value-123";
        var created = await BackupFixture.SendAsync(f.Admin, HttpMethod.Put, $"/v1/tenants/{f.Tenant}/audit/sink",
            new { kind = "s3", endpoint = "https://s3.example.com", bucket = "acme-audit", access_key_id = "AKIA1", secret_access_key = secret }, HttpStatusCode.OK);
        Assert.Equal("pending", (string)created["state"]!);
        Assert.Equal("us-east-1", (string)created["region"]!);
        Assert.Null(created["secret_access_key"]);

        // A new access key id without a secret keeps the stored secret (same destination, so the cursor stays).
        var updated = await BackupFixture.SendAsync(f.Admin, HttpMethod.Put, $"/v1/tenants/{f.Tenant}/audit/sink",
            new { kind = "s3", endpoint = "https://s3.example.com", bucket = "acme-audit", access_key_id = "AKIA2" }, HttpStatusCode.OK);
        Assert.Equal("AKIA2", (string)updated["access_key_id"]!);

        // Switching kind needs the new kind's fields, and the secret of an s3 sink does not carry over to syslog.
        var syslog = await BackupFixture.SendAsync(f.Admin, HttpMethod.Put, $"/v1/tenants/{f.Tenant}/audit/sink",
            new { kind = "syslog", host = "siem.example.com", port = 6514 }, HttpStatusCode.OK);
        Assert.Equal("syslog", (string)syslog["kind"]!);
        Assert.Null(syslog["access_key_id"]);

        var trail = await f.Admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{f.Tenant}/audit?source=control&action=audit_sink.configure");
        var events = trail!["events"]!.AsArray();
        Assert.Equal(3, events.Count);
        Assert.DoesNotContain(secret, trail.ToJsonString(), StringComparison.Ordinal);

        using var deleted = await f.Admin.DeleteAsync(new Uri($"/v1/tenants/{f.Tenant}/audit/sink", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await f.Admin.GetAsync(new Uri($"/v1/tenants/{f.Tenant}/audit/sink", UriKind.Relative));
        await ProblemAssert.MatchesAsync(gone, ProblemCatalog.NotFound);
        using var again = await f.Admin.DeleteAsync(new Uri($"/v1/tenants/{f.Tenant}/audit/sink", UriKind.Relative));
        await ProblemAssert.MatchesAsync(again, ProblemCatalog.NotFound);
        using var unknown = await f.Admin.GetAsync(new Uri("/v1/tenants/t_nope/audit/sink", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
