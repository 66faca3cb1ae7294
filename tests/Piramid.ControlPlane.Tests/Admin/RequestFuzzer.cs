using System.Text;
using System.Text.Json.Nodes;

namespace Piramid.ControlPlane.Tests.Admin;

/// <summary>One fuzzed request: who sends it, the method, the raw path and query, and the raw body.</summary>
internal sealed record FuzzedRequest(string Caller, string Method, string PathAndQuery, string? Body, string? ContentType, string? IdempotencyKey);

/// <summary>
/// Random and mutated requests against every admin, internal, token and login route, from a seeded
/// <see cref="Random"/>: valid seed bodies with a field replaced, removed or added, text cut or corrupted, and
/// values chosen to reach the layers behind the binder (NUL, lone surrogates, huge numbers, offsets, deep nesting).
/// </summary>
internal sealed class RequestFuzzer(Random random, string tenantId, string keyId)
{
    private const string LoneSurrogate = "@@LONE@@";

    private static readonly string[] QueryNames = ["from", "to", "after", "limit", "wait", "x"];

    private static readonly string[] RawQueryValues =
        ["", "banana", "0", "-1", "1", "99999999999999999999", "2026-12-01", "2026-13-45", "2026-12-01T00:00:00%2B05:00", "0001-01-01T00:00:00Z",
         "9999-12-31T23:59:59Z", "%00", "a%00b", "%ED%A0%80", "%FF", "%C3%A9", "1e9", "NaN", "9999-12-31"];

    private static readonly string[] PathIds = ["{t}", "{t}", "{t}", "t_missing", "%ED%A0%80", "%C3%A9", "a%00", "..", "%2F", "x", new string('a', 200)];

    private (string Caller, string Method, string Path, string? Body)[] Routes => [
        ("o", "POST", "/v1/tenants", """{"name":"fz","plan":"free"}"""),
        ("o", "GET", "/v1/tenants", null),
        ("o", "GET", "/v1/tenants/{id}", null),
        ("o", "PATCH", "/v1/tenants/{id}", """{"name":"fz2","plan":"free"}"""),
        ("o", "DELETE", "/v1/tenants/{id}", null),
        ("o", "POST", "/v1/tenants/{id}/suspend", null),
        ("o", "POST", "/v1/tenants/{id}/resume", null),
        ("o", "POST", "/v1/tenants/{id}/api-keys", """{"name":"k","role":"read_only","collections":["docs"],"expires_at":"2030-01-01T00:00:00Z"}"""),
        ("o", "GET", "/v1/tenants/{id}/api-keys", null),
        ("o", "DELETE", "/v1/tenants/{id}/api-keys/{key}", null),
        ("o", "POST", "/v1/tenants/{id}/api-keys/{key}/rotate", """{"grace_period_seconds":60}"""),
        ("o", "GET", "/v1/plans", null),
        ("o", "PUT", "/v1/plans/{plan}", """{"name":"Fuzz","max_collections":1,"max_points":10,"max_storage_bytes":1000000,"max_dimension":8,"read_rate_per_second":1,"read_burst":1,"write_rate_per_second":1,"write_burst":1,"monthly_read_units":1,"monthly_write_units":1}"""),
        ("o", "GET", "/v1/tenants/{id}/usage", null),
        ("o", "GET", "/v1/tenants/{id}/audit", null),
        ("g", "POST", "/internal/v1/keys/introspect", """{"key_id":"{key}","secret_sha256":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}"""),
        ("g", "POST", "/internal/v1/members/introspect", """{"tenant_id":"t_fuzz","user_id":"00000000-0000-0000-0000-000000000001"}"""),
        ("g", "GET", "/internal/v1/routes", null),
        ("g", "GET", "/internal/v1/changes", null),
        // The gateway acting for an admin key of tenant {id} (InputFuzzTests sends the vouching headers with "g").
        ("g", "POST", "/v1/tenants/{id}/api-keys", """{"name":"k","role":"admin"}"""),
        ("g", "GET", "/v1/tenants/{id}/api-keys", null),
        ("g", "DELETE", "/v1/tenants/{id}/api-keys/{key}", null),
        ("g", "POST", "/v1/tenants/{id}/api-keys/{key}/rotate", """{"grace_period_seconds":0}"""),
        ("n", "POST", "/connect/token", "grant_type=client_credentials&client_id={key}&client_secret=s&scope=openid"),
        ("n", "POST", "/account/login", "email=op%40example.com&password=s&return_url=%2F"),
        ("n", "GET", "/account/login", null),
    ];

    public FuzzedRequest Next()
    {
        var (caller, method, template, seed) = Routes[random.Next(Routes.Length)];
        if (random.Next(10) == 0)
        {
            caller = Pick(["o", "g", "n"]); // the wrong caller now and then: a refusal must be a problem too
        }

        var path = template
            .Replace("{id}", Pick(PathIds).Replace("{t}", tenantId, StringComparison.Ordinal), StringComparison.Ordinal)
            .Replace("{key}", random.Next(3) == 0 ? Pick(PathIds) : keyId, StringComparison.Ordinal)
            .Replace("{plan}", Pick(["fuzz", "fuzz", "BAD", "%00", "free"]), StringComparison.Ordinal)
            + Query();
        var isForm = template is "/connect/token" or "/account/login";
        string? body = seed?.Replace("{key}", keyId, StringComparison.Ordinal);
        if (body is not null || random.Next(8) == 0)
        {
            body = isForm ? MutateForm(body ?? string.Empty) : MutateJson(body ?? "{}");
        }

        var contentType = body is null ? null : random.Next(20) == 0 ? "text/plain" : isForm ? "application/x-www-form-urlencoded" : "application/json";
        var idempotency = method != "GET" && random.Next(6) == 0 ? new string('k', random.Next(1, 300)) : null;
        return new FuzzedRequest(caller, method, path, body, contentType, idempotency);
    }

    private string Query()
    {
        if (random.Next(3) != 0)
        {
            return string.Empty;
        }

        var parts = Enumerable.Range(0, random.Next(1, 4)).Select(_ =>
        {
            var name = Pick(QueryNames);
            // A long poll would only slow the run down; a changes call never waits here.
            var value = name == "wait" ? Pick(["0", "-3", "banana", "99999999999999999999", "%00"]) : Pick(RawQueryValues);
            return $"{name}={value}";
        });
        return "?" + string.Join('&', parts);
    }

    private string MutateForm(string form)
    {
        var fields = form.Split('&', StringSplitOptions.RemoveEmptyEntries).ToList();
        switch (random.Next(4))
        {
            case 0 when fields.Count > 0:
                var i = random.Next(fields.Count);
                fields[i] = fields[i].Split('=')[0] + "=" + Pick(RawQueryValues);
                break;
            case 1 when fields.Count > 0:
                fields.RemoveAt(random.Next(fields.Count));
                break;
            case 2:
                fields.Add(Pick(["grant_type", "client_id", "x", "%00", "return_url"]) + "=" + Pick(RawQueryValues));
                break;
            default:
                return RandomText(random.Next(0, 80));
        }

        return string.Join('&', fields);
    }

    private string MutateJson(string json)
    {
        var text = random.Next(6) switch
        {
            0 => RandomValue(0)?.ToJsonString() ?? "null",
            1 => CutOrCorrupt(json),
            _ => MutateField(json),
        };
        return text.Replace($"\"{LoneSurrogate}\"", Pick(["\"\\ud800\"", "\"a\\udfffb\"", "\"\\udc00\\ud800\""]), StringComparison.Ordinal);
    }

    private string MutateField(string json)
    {
        if (JsonNode.Parse(json) is not JsonObject node)
        {
            return json;
        }

        var names = node.Select(p => p.Key).ToList();
        switch (random.Next(3))
        {
            case 0 when names.Count > 0:
                node[Pick([.. names])] = RandomValue(0);
                break;
            case 1 when names.Count > 0:
                node.Remove(Pick([.. names]));
                break;
            default:
                node[Pick(["colour", "id", "name", "collections", "\u0000"])] = RandomValue(0);
                break;
        }

        // Now and then a second change on the same body.
        return random.Next(3) == 0 ? MutateField(node.ToJsonString()) : node.ToJsonString();
    }

    private string CutOrCorrupt(string json)
    {
        if (json.Length == 0)
        {
            return RandomText(10);
        }

        var at = random.Next(json.Length);
        return random.Next(3) switch
        {
            0 => json[..at],
            1 => json[..at] + (char)random.Next(0, 128) + json[at..],
            _ => json[..at] + json[Math.Min(json.Length, at + 1)..] + RandomText(3),
        };
    }

    private JsonNode? RandomValue(int depth) => random.Next(depth > 3 ? 12 : 15) switch
    {
        0 => null,
        1 => true,
        2 => random.Next(),
        3 => -random.Next(),
        4 => JsonNode.Parse(Pick(["0", "1.5", "1e308", "-1e308", "9223372036854775808", "2147483648", "-0"])),
        5 => Pick(["", "a", "docs", "free", "admin", "read_only", "2030-01-01T00:00:00+05:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "banana"]),
        6 => "a\u0000b",
        7 => LoneSurrogate,
        8 => new string('x', Pick([64, 65, 128, 129, 256, 10_000])),
        9 => "é✓😀\u202e\t\n",
        10 => RandomText(random.Next(0, 20)),
        11 => "t_" + RandomText(8),
        12 => new JsonArray([.. Enumerable.Range(0, Pick([0, 1, 3, 101, 2000])).Select(i => (JsonNode?)JsonValue.Create(i % 7 == 0 ? "bad name" : $"c{i}"))]),
        13 => new JsonObject { ["a"] = RandomValue(depth + 1) },
        _ => Nested(Pick([10, 100])),
    };

    private static JsonNode Nested(int depth)
    {
        JsonNode node = new JsonArray();
        for (var i = 0; i < depth; i++)
        {
            node = new JsonArray(node);
        }

        return node;
    }

    private string RandomText(int length)
    {
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append((char)random.Next(32, 127));
        }

        return text.ToString();
    }

    private T Pick<T>(T[] items) => items[random.Next(items.Length)];
}
