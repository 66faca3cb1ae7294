using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Tests.Support;
using static Piramid.ControlPlane.Tests.Backups.BackupFixture;

namespace Piramid.ControlPlane.Tests.Backups;

/// <summary>
/// The restore request parser under seeded random bodies (issue 18): every body that cannot be met, whichever of its
/// fields (target, time, LSN, collections, new names) is wrong and however, is a 4xx problem+json naming a wrong field,
/// never a 5xx; and a refusal starts nothing and changes nothing.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RestoreRequestPropertyTests(PostgresFixture postgres)
{
    private const int Bodies = 300;
    private static readonly string[] Targets = ["backup_id", "at", "lsn"];

    [Fact]
    public async Task RefusedRestoreBodies_Are4xxProblemsNamingAWrongField_AndChangeNothing()
    {
        await using var f = await BackupFixture.StartAsync(postgres, "restore-fuzz", plan: "standard");
        await f.CreateCollectionAsync("docs", 4);
        await f.UpsertAsync("docs", 0, 20, 4, seed: 1);
        var backupId = await f.BackupAsync();
        var content = await f.ContentHashAsync("docs");
        var (operations, backups) = await CountsAsync(f);
        var random = new Random(18);
        var path = new Uri($"/v1/tenants/{f.Tenant}/restore", UriKind.Relative);

        for (var i = 0; i < Bodies; i++)
        {
            var (body, wrong) = i % 10 == 9 ? RawBody(random) : Body(random, backupId);
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await f.Admin.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var why = $"body #{i} {body}: {(int)response.StatusCode} {text}";
            Assert.True((int)response.StatusCode is >= 400 and < 500, why);
            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", why);
            var problem = JsonNode.Parse(text)!.AsObject();
            Assert.StartsWith("https://", problem["type"]!.GetValue<string>(), StringComparison.Ordinal);
            var detail = problem["detail"]!.GetValue<string>();
            Assert.True(wrong.Count == 0 || wrong.Any(w => detail.Contains($"'{w}", StringComparison.Ordinal)), $"names none of {string.Join(", ", wrong)}: {why}");
        }

        Assert.Equal((operations, backups), await CountsAsync(f));
        Assert.Equal(content, await f.ContentHashAsync("docs"));
    }

    /// <summary>A JSON object of restore fields, at least one of them wrong; returns the fields a refusal may name.</summary>
    private static (string Body, List<string> Wrong) Body(Random random, string backupId)
    {
        var body = new JsonObject();
        var wrong = new List<string>();
        var fields = new (string Name, Func<JsonNode?> Valid, Func<JsonNode?> Invalid)[]
        {
            ("backup_id", () => backupId, () => Pick(random, "bk_nosuch", "", 42, new JsonArray("bk"), true)),
            ("at", () => DateTimeOffset.UtcNow.AddMilliseconds(-1).ToString("O"), () => Pick(random,
                "yesterday", "2026-13-01T00:00:00Z", DateTimeOffset.UtcNow.AddDays(1).ToString("O"), DateTimeOffset.UtcNow.AddDays(-3).ToString("O"), 12345, "", false)),
            ("lsn", () => 1_000_000, () => Pick(random, -1, 0, "abc", 1.5, JsonNode.Parse("1e30"), true, long.MinValue)),
            ("collections", () => new JsonArray("docs"), () => Pick(random,
                new JsonArray(), new JsonArray("Bad Name!"), "docs", new JsonArray(1), new JsonArray("nope"), new JsonArray([.. Enumerable.Range(0, 1001).Select(n => (JsonNode)$"c{n}")]))),
            ("rename", () => new JsonObject { ["docs"] = "docs-copy" }, () => Pick(random,
                new JsonObject(), new JsonObject { ["docs"] = "docs" }, new JsonObject { ["docs"] = "Bad!" }, "str",
                new JsonObject { ["nope"] = "x" }, new JsonObject { ["docs"] = "same", ["other"] = "same" }, new JsonObject { ["docs"] = 7 })),
        };
        foreach (var (name, valid, invalid) in fields)
        {
            if (random.Next(2) == 0)
            {
                continue;
            }

            var bad = random.Next(3) == 0;
            body[name] = bad ? invalid() : valid();
            if (bad)
            {
                wrong.Add(name);
            }
        }

        if (wrong.Count == 0 && Targets.Count(body.ContainsKey) == 1)
        {
            // Every field as valid as it gets and one target: make one wrong, so that nothing may start.
            var (name, _, invalid) = fields[random.Next(fields.Length)];
            body[name] = invalid();
            wrong.Add(name);
        }

        if (Targets.Count(body.ContainsKey) != 1)
        {
            wrong.AddRange(Targets); // "give exactly one of" names all three
        }

        if (body.ContainsKey("lsn"))
        {
            wrong.AddRange(["lsn", "collections"]); // a restore to an LSN names exactly one collection
        }

        return (body.ToJsonString(), wrong);
    }

    /// <summary>Bodies that are not a restore object at all; a refusal may name any field or none.</summary>
    private static (string Body, List<string> Wrong) RawBody(Random random) => Pick(random,
        ("{", new List<string>()), ("[]", []), ("\"at\"", []), ("null", []), ("{\"at\":}", []), ("{\"foo\":1}", ["foo"]),
        ("{\"collections\":[\"docs\",]}", []), ("{\"rename\":{\"docs\":\"a\"},\"rename\":5}", []), ("", []));

    private static T Pick<T>(Random random, params T[] choices) => choices[random.Next(choices.Length)];

    private static JsonNode? Pick(Random random, params object?[] choices) => choices[random.Next(choices.Length)] switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        string s => JsonValue.Create(s),
        int n => JsonValue.Create(n),
        long n => JsonValue.Create(n),
        double d => JsonValue.Create(d),
        bool b => JsonValue.Create(b),
        var other => throw new ArgumentException($"no JSON for {other}"),
    };

    private static async Task<(int Operations, int Backups)> CountsAsync(BackupFixture f)
    {
        await using var scope = f.Host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        return (await db.Operations.CountAsync(o => o.TenantId == f.Tenant), await db.Backups.CountAsync(b => b.TenantId == f.Tenant));
    }
}
