using System.Buffers.Text;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit.Http;
using Piramid.TestKit.Platform;

namespace Piramid.ControlPlane.Tests.Admin;

/// <summary>
/// The audit trail pages like scroll: <c>cursor</c> in the query is the previous answer's <c>next_cursor</c>, the
/// same opaque string; the pages of any size concatenate to the whole list, and a cursor the API did not return is
/// a 400 naming <c>cursor</c>.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AuditPagingTests(PostgresFixture postgres)
{
    [Fact]
    public async Task PagesOfEverySize_ConcatenateToTheWholeTrail()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        using var admin = await host.ClientAsync(host.Operator);
        var tenant = await CreateTenantAsync(admin, "paged");
        for (var i = 0; i < 6; i++)
        {
            (await admin.PostAsJsonAsync($"/v1/tenants/{tenant}/api-keys", new { name = $"k{i}", role = "read_only" })).EnsureSuccessStatusCode();
        }

        var whole = await admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{tenant}/audit");
        var all = Ids(whole!);
        Assert.True(all.Count >= 7, $"{all.Count} events");
        Assert.Null(whole!["next_cursor"]);

        foreach (var limit in Enumerable.Range(1, all.Count + 1))
        {
            var seen = new List<long>();
            string? cursor = null;
            for (var pages = 0; ; pages++)
            {
                Assert.True(pages <= all.Count, $"limit {limit}: more pages than events");
                var query = $"/v1/tenants/{tenant}/audit?limit={limit}" + (cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor));
                var page = (await admin.GetFromJsonAsync<JsonObject>(query))!;
                seen.AddRange(Ids(page));
                if (page["next_cursor"] is null)
                {
                    break;
                }

                // The answer's cursor is a string, the same kind the request takes.
                cursor = page["next_cursor"]!.GetValue<string>();
            }

            Assert.Equal(all, seen);
        }
    }

    [Fact]
    public async Task ACursorTheApiDidNotReturn_Is400NamingCursor_AndTheOldAfterIsRefusedByName()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        using var admin = await host.ClientAsync(host.Operator);
        var tenant = await CreateTenantAsync(admin, "forged");
        (await admin.PostAsJsonAsync($"/v1/tenants/{tenant}/api-keys", new { name = "k", role = "read_only" })).EnsureSuccessStatusCode();
        var real = (await admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{tenant}/audit?limit=1"))!["next_cursor"]!.GetValue<string>();

        static string B64(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
        var forged = new[]
        {
            "garbage!", "", "1", real + "A", real[..^1], "=" + real,
            B64("a1:"), B64("a1:0"), B64("a1:-5"), B64("a1:+5"), B64("a1:05"), B64("a1:1e3"), B64("a2:5"), B64("5"),
            B64("a1:99999999999999999999"), new string('A', 200),
        };
        foreach (var cursor in forged.Distinct(StringComparer.Ordinal))
        {
            using var response = await admin.GetAsync(new Uri($"/v1/tenants/{tenant}/audit?cursor={Uri.EscapeDataString(cursor)}", UriKind.Relative));
            var problem = await ProblemAssert.MatchesAsync(response, ProblemCatalog.InvalidRequest);
            Assert.Contains("'cursor'", (string)problem["detail"]!, StringComparison.Ordinal);
        }

        using var old = await admin.GetAsync(new Uri($"/v1/tenants/{tenant}/audit?after=1", UriKind.Relative));
        Assert.Contains("'after'", (string)(await ProblemAssert.MatchesAsync(old, ProblemCatalog.InvalidRequest))["detail"]!, StringComparison.Ordinal);
    }

    private static List<long> Ids(JsonObject page) => [.. page["events"]!.AsArray().Select(e => e!["id"]!.GetValue<long>())];

    private static async Task<string> CreateTenantAsync(HttpClient admin, string name)
    {
        using var created = await admin.PostAsJsonAsync("/v1/tenants", new { name });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }
}
