using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Piramid.Contracts.Problems;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Http;
using Piramid.TestKit.Platform;
using static Piramid.Gateway.Tests.Support.Probe;

namespace Piramid.Gateway.Tests;

/// <summary>
/// Who may call the control plane's tenant routes through the gateway: every route × every credential kind, one
/// table (docs/design/tenant-access.md). A tenant's own unscoped admin key acts for it, a lesser or scoped key is a
/// 403, another tenant's key gets the 404 of a tenant that does not exist, and the operator-only routes stay 403.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class TenantPathAccessTests(PostgresFixture postgres)
{
    private const string Operator = "operator";
    private const string OwnAdmin = "own admin key";
    private const string OwnWriter = "own read_write key";
    private const string Scoped = "own scoped admin key";
    private const string OtherAdmin = "other tenant's admin key";

    // {A} is the tenant the keys belong to. Null: not tried with that credential (it would change the tenant for the
    // rows after it, and the operator's use of those routes has tests of its own).
    private static readonly (string Method, string Path, string? Body, int? Operator, int OwnAdmin, int OwnWriter, int Scoped, int OtherAdmin)[] Table =
    [
        ("GET", "/v1/tenants/{A}", null, 200, 200, 200, 403, 404),
        ("GET", "/v1/tenants/{A}/api-keys", null, 200, 200, 403, 403, 404),
        ("POST", "/v1/tenants/{A}/api-keys", """{"name":"t","role":"read_only"}""", 201, 201, 403, 403, 404),
        ("DELETE", "/v1/tenants/{A}/api-keys/nosuchkey", null, 404, 404, 403, 403, 404),
        ("POST", "/v1/tenants/{A}/api-keys/nosuchkey/rotate", "{}", 404, 404, 403, 403, 404),
        ("GET", "/v1/tenants/{A}/usage", null, 200, 200, 403, 403, 404),
        ("GET", "/v1/tenants/{A}/audit", null, 200, 200, 403, 403, 404),
        ("GET", "/v1/tenants/{A}/metrics", null, 200, 200, 403, 403, 404),
        // Any role reads an operation; a scoped key manages nothing of the tenant.
        ("GET", "/v1/tenants/{A}/operations/op_nosuch", null, 404, 404, 404, 403, 404),
        ("PATCH", "/v1/tenants/{A}", """{"name":"renamed"}""", 200, 403, 403, 403, 403),
        ("POST", "/v1/tenants/{A}/suspend", null, null, 403, 403, 403, 403),
        ("POST", "/v1/tenants/{A}/resume", null, null, 403, 403, 403, 403),
        ("DELETE", "/v1/tenants/{A}", null, null, 403, 403, 403, 403),
        ("GET", "/v1/tenants", null, 200, 403, 403, 403, 403),
        ("GET", "/v1/plans", null, 200, 403, 403, 403, 403),
        ("GET", "/v1/platform/metrics", null, 200, 403, 403, 403, 403),
        // The tenant comes from the key: the other tenant's key reads its own tenant.
        ("GET", "/v1/usage", null, 403, 200, 403, 403, 200),
        ("GET", "/v1/audit", null, 403, 200, 403, 403, 200),
        ("GET", "/v1/metrics", null, 403, 200, 403, 403, 200),
        ("GET", "/v1/api-keys", null, 403, 200, 403, 403, 200),
        ("GET", "/v1/operations/op_nosuch", null, 404, 404, 404, 403, 404),
    ];

    [Fact]
    public async Task EveryTenantRoute_ByEveryCredentialKind_AnswersTheTablesStatus()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (tenantA, adminA) = await platform.TenantWithKeyAsync("access-a");
        var (_, adminB) = await platform.TenantWithKeyAsync("access-b");
        var credentials = new Dictionary<string, string>
        {
            [Operator] = await platform.ControlPlane.TokenAsync(platform.ControlPlane.Operator),
            [OwnAdmin] = adminA,
            [OwnWriter] = await platform.KeyAsync(tenantA, "read_write"),
            [Scoped] = await platform.KeyAsync(tenantA, "admin", ["docs"]),
            [OtherAdmin] = adminB,
        };
        using (var routed = platform.Client(adminA))
        {
            await WaitRoutedAsync(routed);
        }

        var failures = new List<string>();
        foreach (var row in Table)
        {
            foreach (var (kind, expected) in new[] { (Operator, row.Operator), (OwnAdmin, row.OwnAdmin), (OwnWriter, row.OwnWriter), (Scoped, row.Scoped), (OtherAdmin, row.OtherAdmin) })
            {
                if (expected is null)
                {
                    continue;
                }

                var path = row.Path.Replace("{A}", tenantA, StringComparison.Ordinal);
                using var http = platform.Client(credentials[kind]);
                using var request = new HttpRequestMessage(new HttpMethod(row.Method), new Uri(path, UriKind.Relative));
                if (row.Body is not null)
                {
                    request.Content = new StringContent(row.Body, Encoding.UTF8, "application/json");
                }

                using var response = await http.SendAsync(request);
                if ((int)response.StatusCode != expected)
                {
                    failures.Add($"{row.Method} {row.Path} by {kind}: {(int)response.StatusCode}, expected {expected}: {await response.Content.ReadAsStringAsync()}");
                }
                else if (expected >= 400)
                {
                    // Every refusal is a catalogue problem naming the path the client called.
                    await ProblemAssert.MatchesAsync(response, expected == 404 ? ProblemCatalog.NotFound : ProblemCatalog.Forbidden, path);
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task AnotherTenantsId_IsAnsweredLikeATenantThatDoesNotExist()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (tenantA, _) = await platform.TenantWithKeyAsync("hidden-a");
        var (_, adminB) = await platform.TenantWithKeyAsync("hidden-b");
        using var b = platform.Client(adminB);
        await WaitRoutedAsync(b);
        using var op = platform.Client(await platform.ControlPlane.TokenAsync(platform.ControlPlane.Operator));

        // B on A's usage, and the operator on a tenant that does not exist: the same problem, naming the id asked for.
        var existing = await ProblemAssert.MatchesAsync(await b.GetAsync(new Uri($"/v1/tenants/{tenantA}/usage", UriKind.Relative)), ProblemCatalog.NotFound);
        var missing = await ProblemAssert.MatchesAsync(await op.GetAsync(new Uri("/v1/tenants/t_nosuchtenant/usage", UriKind.Relative)), ProblemCatalog.NotFound);
        Assert.Equal(((string)missing["detail"]!).Replace("t_nosuchtenant", tenantA, StringComparison.Ordinal), (string)existing["detail"]!);
        Assert.Equal(Fields(missing), Fields(existing));

        // And B's key on a tenant that does not exist says the same as on A.
        var none = await ProblemAssert.MatchesAsync(await b.GetAsync(new Uri("/v1/tenants/t_nosuchtenant/usage", UriKind.Relative)), ProblemCatalog.NotFound);
        Assert.Equal((string)missing["detail"]!, (string)none["detail"]!);
    }

    [Fact]
    public async Task VouchingHeaders_SentByAClient_AreNotBelieved()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (tenantA, _) = await platform.TenantWithKeyAsync("vouch-a");
        var (_, adminB) = await platform.TenantWithKeyAsync("vouch-b");
        using var b = platform.Client(adminB);
        await WaitRoutedAsync(b);

        // B's key claiming to be A's admin key: the gateway replaces the headers with the truth, and B gets the 404.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/v1/tenants/{tenantA}/api-keys", UriKind.Relative));
        request.Headers.Add(Contracts.HeaderNames.KeyTenant, tenantA);
        request.Headers.Add(Contracts.HeaderNames.KeyRole, "admin");
        Assert.Equal(HttpStatusCode.NotFound, (await b.SendAsync(request)).StatusCode);
    }

    private static string Fields(JsonObject problem) => string.Join(',', problem.Select(p => p.Key).Where(k => k is not ("detail" or "instance" or "trace_id" or "request_id")).Order(StringComparer.Ordinal));
}
