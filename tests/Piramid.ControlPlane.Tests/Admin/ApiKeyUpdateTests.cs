using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Tests.Auditing;
using Piramid.ControlPlane.Tests.Support;

namespace Piramid.ControlPlane.Tests.Admin;

/// <summary>
/// <c>PATCH /v1/tenants/{id}/api-keys/{key_id}</c> against the real control plane and PostgreSQL: a valid change
/// takes effect on the same key (id and secret kept) and is audited; every invalid field is a 400 naming it that
/// changes no table; a key that is not there (or revoked, or another tenant's) is a 404.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ApiKeyUpdateTests(PostgresFixture postgres)
{
    private const int Seed = 2020;

    [Fact]
    public async Task NameScopeAndExpiry_ChangeInPlace_TheSecretStillIntrospects_AndTheChangeIsAudited()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        var tenantId = await RetentionTests.SeedTenantAsync(host);
        using var admin = await host.ClientAsync(host.Operator);
        var created = await SendAsync(admin, HttpMethod.Post, $"/v1/tenants/{tenantId}/api-keys", """{"name":"svc","role":"read_write","collections":["docs"],"expires_at":"2031-06-01T12:00:00+02:00"}""");
        Assert.True(created.Status == HttpStatusCode.Created, created.Text); // an offset other than UTC is stored as its instant
        Assert.Equal(new DateTimeOffset(2031, 6, 1, 10, 0, 0, TimeSpan.Zero), created.Body!["expires_at"]!.GetValue<DateTimeOffset>());
        var keyId = created.Body!["id"]!.GetValue<string>();
        var changes = await CountChangeEventsAsync(host);

        var changed = await SendAsync(admin, HttpMethod.Patch, $"/v1/tenants/{tenantId}/api-keys/{keyId}", """{"name":"svc-2","collections":["movies","series"],"expires_at":"2031-01-02T03:04:05Z"}""");
        Assert.Equal(HttpStatusCode.OK, changed.Status);
        Assert.Equal(keyId, changed.Body!["id"]!.GetValue<string>());
        Assert.Null(changed.Body["key"]);
        Assert.Equal("read_write", changed.Body["role"]!.GetValue<string>());
        var listed = await KeyAsync(admin, tenantId, keyId);
        Assert.Equal("svc-2", listed["name"]!.GetValue<string>());
        Assert.Equal(["movies", "series"], listed["collections"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(new DateTimeOffset(2031, 1, 2, 3, 4, 5, TimeSpan.Zero), listed["expires_at"]!.GetValue<DateTimeOffset>());

        // The gateway learns of it through the change feed, which drops its cached answer for the key.
        Assert.Equal(changes + 1, await CountChangeEventsAsync(host));

        // Fields left out stay; null collections mean all, null expires_at removes the expiry; the same role is allowed.
        var cleared = await SendAsync(admin, HttpMethod.Patch, $"/v1/tenants/{tenantId}/api-keys/{keyId}", """{"role":"read_write","collections":null,"expires_at":null}""");
        Assert.Equal(HttpStatusCode.OK, cleared.Status);
        listed = await KeyAsync(admin, tenantId, keyId);
        Assert.Equal("svc-2", listed["name"]!.GetValue<string>());
        Assert.Empty(listed["collections"]!.AsArray());
        Assert.Null(listed["expires_at"]);

        var audit = await SendAsync(admin, HttpMethod.Get, $"/v1/tenants/{tenantId}/audit?action=api_key.update&source=control", null);
        Assert.True(audit.Status == HttpStatusCode.OK, audit.Text);
        Assert.Equal(2, audit.Body!["events"]!.AsArray().Count(e => e!["action"]!.GetValue<string>() == "api_key.update"));
    }

    [Fact]
    public async Task MissingRevokedOrOtherTenantsKeys_Are404_AndChangeNothing()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        var tenantId = await RetentionTests.SeedTenantAsync(host);
        using var admin = await host.ClientAsync(host.Operator);
        var other = await SendAsync(admin, HttpMethod.Post, "/v1/tenants", """{"name":"other"}""");
        var otherId = other.Body!["id"]!.GetValue<string>();
        var otherKey = (await SendAsync(admin, HttpMethod.Post, $"/v1/tenants/{otherId}/api-keys", """{"name":"o","role":"admin"}""")).Body!["id"]!.GetValue<string>();
        var revoked = (await SendAsync(admin, HttpMethod.Post, $"/v1/tenants/{tenantId}/api-keys", """{"name":"r","role":"admin"}""")).Body!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(admin, HttpMethod.Delete, $"/v1/tenants/{tenantId}/api-keys/{revoked}", null)).Status);

        foreach (var path in new[] { $"/v1/tenants/{tenantId}/api-keys/nosuchkey", $"/v1/tenants/{tenantId}/api-keys/{revoked}", $"/v1/tenants/{tenantId}/api-keys/{otherKey}", $"/v1/tenants/t_missing/api-keys/{otherKey}" })
        {
            var before = await DatabaseFingerprint.TakeAsync(host);
            var answer = await SendAsync(admin, HttpMethod.Patch, path, """{"name":"x"}""");
            Assert.True(answer.Status == HttpStatusCode.NotFound, $"{path}: {(int)answer.Status} {answer.Text}");
            Assert.Equal("application/problem+json", answer.ContentType);
            Assert.Equal(ProblemTypes.NotFound, answer.Body!["type"]!.GetValue<string>());
            Assert.Equal(before, await DatabaseFingerprint.TakeAsync(host));
        }
    }

    /// <summary>
    /// Seeded random bodies built from valid and invalid values of every field (and unknown fields, wrong JSON types,
    /// broken JSON): a body is accepted exactly when the model says so, a refusal is a 400 problem naming the first
    /// bad field and leaves every table as it was, and after each request the key equals the model.
    /// </summary>
    [Fact]
    public async Task AnyBody_IsAcceptedExactlyWhenEveryFieldIsValid_ARefusalNamesTheFieldAndChangesNothing()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        var tenantId = await RetentionTests.SeedTenantAsync(host);
        using var admin = await host.ClientAsync(host.Operator);
        var keyId = (await SendAsync(admin, HttpMethod.Post, $"/v1/tenants/{tenantId}/api-keys", """{"name":"fuzzed","role":"read_only"}""")).Body!["id"]!.GetValue<string>();
        var path = $"/v1/tenants/{tenantId}/api-keys/{keyId}";

        // (JSON text, whether it is valid, the value it sets when valid); a null JSON text leaves the field out.
        (string? Json, bool Valid)[] names = [(null, true), ("\"ok-name\"", true), ("\"other\"", true), ("\"\"", false), ($"\"{new string('n', 129)}\"", false), ("12", false), ("null", true)];
        (string? Json, bool Valid)[] roles = [(null, true), ("\"read_only\"", true), ("\"admin\"", false), ("\"read_write\"", false), ("\"root\"", false), ("7", false)];
        (string? Json, bool Valid)[] collections =
        [
            (null, true), ("[\"a\",\"b-2\"]", true), ("[]", true), ("null", true), ("[\"Bad Name\"]", false), ("[\"\"]", false),
            ($"[{string.Join(',', Enumerable.Range(0, 101).Select(i => $"\"c{i}\""))}]", false), ("\"docs\"", false), ("[1]", false),
        ];
        (string? Json, bool Valid)[] expiries =
        [
            (null, true), ("\"2030-06-01T00:00:00Z\"", true), ("\"2032-01-01T12:00:00+02:00\"", true), ("null", true), ("\"2020-01-01T00:00:00Z\"", false),
            ("\"tomorrow\"", false), ("\"2030-13-45T00:00:00Z\"", false), ("5", false),
        ];

        var random = new Random(Seed);
        var expected = await KeyAsync(admin, tenantId, keyId);
        var accepted = 0;
        var refused = 0;
        for (var round = 0; round < 120; round++)
        {
            // Half the rounds draw valid values only, so changes are applied as often as refused.
            var onlyValid = random.Next(2) == 0;
            var fields = new List<(string Name, string? Json, bool Valid)>
            {
                ("name", Pick(random, names, onlyValid), false),
                ("role", Pick(random, roles, onlyValid), false),
                ("collections", Pick(random, collections, onlyValid), false),
                ("expires_at", Pick(random, expiries, onlyValid), false),
            };
            var valid = fields.All(f => IsValid(f.Name, f.Json, names, roles, collections, expiries));
            var parts = fields.Where(f => f.Json is not null).Select(f => $"\"{f.Name}\":{f.Json}").ToList();
            var broken = random.Next(12);
            if (broken == 0)
            {
                parts.Add("\"scope\":\"all\""); // unknown fields are refused, not ignored
            }

            var body = "{" + string.Join(',', parts) + "}";
            if (broken == 1)
            {
                body = body[..^1]; // cut short
            }

            valid &= broken > 1;
            var before = await DatabaseFingerprint.TakeAsync(host);
            var answer = await SendAsync(admin, HttpMethod.Patch, path, body);
            if (valid)
            {
                Assert.True(answer.Status == HttpStatusCode.OK, $"{body} -> {(int)answer.Status} {answer.Text}");
                accepted++;
                expected = Apply(expected, fields);
            }
            else
            {
                Assert.True(answer.Status == HttpStatusCode.BadRequest, $"{body} -> {(int)answer.Status} {answer.Text}");
                Assert.Equal("application/problem+json", answer.ContentType);
                Assert.Equal(ProblemTypes.InvalidRequest, answer.Body!["type"]!.GetValue<string>());
                var named = fields.Where(f => !IsValid(f.Name, f.Json, names, roles, collections, expiries)).Select(f => f.Name).Append("scope").ToList();
                var detail = answer.Body["detail"]?.GetValue<string>() ?? string.Empty;
                Assert.True(broken == 1 || named.Any(n => detail.Contains(n, StringComparison.Ordinal)), $"{body} -> {detail} names none of {string.Join(", ", named)}");
                Assert.Equal(before, await DatabaseFingerprint.TakeAsync(host));
                refused++;
            }

            var actual = await KeyAsync(admin, tenantId, keyId);
            Assert.True(
                JsonNode.DeepEquals(Shape(expected), Shape(actual)),
                $"after {body}: expected {Shape(expected).ToJsonString()}, got {Shape(actual).ToJsonString()}");
        }

        Assert.True(accepted > 10 && refused > 30, $"accepted {accepted}, refused {refused}");
    }

    private static string? Pick(Random random, (string? Json, bool Valid)[] values, bool onlyValid)
    {
        var from = onlyValid ? values.Where(v => v.Valid).ToArray() : values;
        return from[random.Next(from.Length)].Json;
    }

    private static bool IsValid(
        string field, string? json, (string? Json, bool Valid)[] names, (string? Json, bool Valid)[] roles, (string? Json, bool Valid)[] collections, (string? Json, bool Valid)[] expiries)
    {
        var table = field switch { "name" => names, "role" => roles, "collections" => collections, _ => expiries };
        return table.First(v => v.Json == json).Valid;
    }

    private static JsonObject Apply(JsonObject key, List<(string Name, string? Json, bool Valid)> fields)
    {
        var next = (JsonObject)key.DeepClone();
        foreach (var (name, json, _) in fields)
        {
            if (json is null || name == "role" || (name == "name" && json == "null"))
            {
                continue;
            }

            next[name] = name switch
            {
                "collections" => json == "null" ? new JsonArray() : JsonNode.Parse(json),
                "expires_at" => json == "null" ? null : JsonValue.Create(JsonNode.Parse(json)!.GetValue<DateTimeOffset>()),
                _ => JsonNode.Parse(json),
            };
        }

        return next;
    }

    private static JsonObject Shape(JsonObject key) => new()
    {
        ["name"] = key["name"]?.DeepClone(),
        ["role"] = key["role"]?.DeepClone(),
        ["collections"] = key["collections"]?.DeepClone() ?? new JsonArray(),
        ["expires_at"] = key["expires_at"] is { } e ? e.GetValue<DateTimeOffset>().ToUniversalTime().ToString("O") : null,
    };

    private static async Task<JsonObject> KeyAsync(HttpClient admin, string tenantId, string keyId)
    {
        var list = await SendAsync(admin, HttpMethod.Get, $"/v1/tenants/{tenantId}/api-keys", null);
        return list.Body!["api_keys"]!.AsArray().Single(k => k!["id"]!.GetValue<string>() == keyId)!.AsObject();
    }

    private static async Task<long> CountChangeEventsAsync(ControlPlaneHost host)
    {
        await using var scope = host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Piramid.ControlPlane.Data.ControlPlaneDbContext>();
        return await db.ChangeEvents.LongCountAsync();
    }

    private static async Task<(HttpStatusCode Status, JsonObject? Body, string Text, string? ContentType)> SendAsync(HttpClient http, HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonObject? node = null;
        try
        {
            node = text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return (response.StatusCode, node, text, response.Content.Headers.ContentType?.MediaType);
    }
}
