using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Piramid.Contracts;
using Piramid.Contracts.Names;
using Piramid.Contracts.Routes;

namespace Piramid.OpenApi;

/// <summary>
/// Builds docs/openapi.json from the code: every route of <see cref="PublicRoutes.All"/> (method, path, role,
/// body types, query, idempotency), the Contracts types' schemas, the problem catalogue and the security schemes.
/// Nothing is listed here twice: a route added to the table, a field added to a contract type or a problem added
/// to the catalogue is in the next generated document.
/// </summary>
public static class OpenApiGenerator
{
    /// <summary>The document, as committed: indented JSON, LF line ends, one trailing newline.</summary>
    public static string GenerateText()
    {
        var options = new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return Generate().ToJsonString(options).ReplaceLineEndings("\n") + "\n";
    }

    /// <summary>The document.</summary>
    public static JsonObject Generate()
    {
        var docs = XmlDocs.Load(typeof(PublicRoutes).Assembly);
        var schemas = new SchemaComponents(docs);
        var paths = new JsonObject();
        // Every route at its own template, and each data route once more under a member's tenant prefix.
        var documented = PublicRoutes.All.Select(r => (Template: r.Template, Route: r, Member: false))
            .Concat(PublicRoutes.Engine.Select(r => (Template: MemberRoutes.Template(r), Route: r, Member: true)));
        foreach (var group in documented.GroupBy(r => r.Template).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var item = new JsonObject();
            foreach (var (template, route, member) in group.OrderBy(r => MethodOrder(r.Route.Method)))
            {
                item[route.Method.ToLowerInvariant()] = Operation(route, template, member, schemas, docs);
            }

            paths[group.Key] = item;
        }

        var components = schemas.Build();
        RefuseUnknownMembers(components, PublicRoutes.All.Where(r => r.Body?.MediaType == "application/json").Select(r => r.Body!.Type.Name));
        components["Problem"] = ProblemResponses.Schema();
        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "Piramid API",
                ["version"] = "0.1.0",
                ["description"] = "The public API of Piramid, served by the gateway. JSON with snake_case fields; every error is application/problem+json. Generated from the route table and the contract types by src/Shared/Piramid.OpenApi; docs/API.md is the narrative reference.",
            },
            ["servers"] = new JsonArray(
                new JsonObject { ["url"] = "/", ["description"] = "The gateway that serves this document" },
                new JsonObject
                {
                    ["url"] = "http://127.0.0.1:{port}",
                    ["description"] = "A gateway started by ./piramid up on this machine",
                    ["variables"] = new JsonObject { ["port"] = new JsonObject { ["default"] = "8080", ["description"] = "The gateway port ./piramid up prints" } },
                }),
            ["tags"] = new JsonArray([.. PublicRoutes.All.Select(Tag).Distinct().Select(t => (JsonNode)new JsonObject { ["name"] = t })]),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = new JsonObject(components.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => KeyValuePair.Create(s.Key, s.Value?.DeepClone()))),
                ["responses"] = ProblemResponses.Components(),
                ["securitySchemes"] = SecuritySchemes.Components(),
            },
        };
    }

    // A member's copy of a data route (member) differs only in its template, operation id and credential.
    private static JsonObject Operation(PublicRoute route, string template, bool member, SchemaComponents schemas, XmlDocs docs)
    {
        var summary = route.Summary.Length > 0 ? route.Summary : route.ToString();
        var operation = new JsonObject
        {
            ["operationId"] = member ? route.Name + ".member" : route.Name,
            ["summary"] = member ? summary + ", as a member of the tenant" : summary,
            ["tags"] = new JsonArray(Tag(route)),
            ["x-piramid-units"] = route.Units.ToString().ToLowerInvariant(),
            ["security"] = member ? SecuritySchemes.Member() : SecuritySchemes.For(route),
        };
        if (route.Role is not null)
        {
            operation["x-piramid-role"] = route.Role;
        }

        if (route.CollectionScoped)
        {
            operation["description"] = "A key limited to collections reaches this route only for one of them.";
        }

        var parameters = new JsonArray([.. PathParameters(template)]);
        foreach (var query in route.Query)
        {
            var schema = schemas.Inline(Nullable.GetUnderlyingType(query.Type) ?? query.Type);
            parameters.Add(new JsonObject { ["name"] = query.Name, ["in"] = "query", ["description"] = query.Description, ["schema"] = schema });
        }

        if (route.Idempotent)
        {
            // Every process reads the key with one rule (IdempotentRoutes.IsValidKey); the engine's point writes
            // describe what the engine remembers, the control plane's writes keep a key for Retention:IdempotencyTtl.
            var onPoints = IdempotentRoutes.All.Contains(route);
            var schema = new JsonObject
            {
                ["type"] = "string",
                ["minLength"] = 1,
                ["maxLength"] = IdempotentRoutes.MaxKeyLength,
                ["pattern"] = IdempotentRoutes.KeyPattern,
            };

            parameters.Add(new JsonObject
            {
                ["name"] = HeaderNames.IdempotencyKey,
                ["in"] = "header",
                ["description"] = onPoints
                    ? IdempotentRoutes.HeaderDescription
                    : "Replays the first answer for a repeated key (nothing is done twice); the same key with another body is 422.",
                ["schema"] = schema,
            });
        }

        if (parameters.Count > 0)
        {
            operation["parameters"] = parameters;
        }

        if (route.Body is { } body)
        {
            var media = new JsonObject { ["schema"] = schemas.Ref(body.Type) };
            if (docs.Example(body.Type) is { } example)
            {
                media["example"] = JsonNode.Parse(example);
            }

            operation["requestBody"] = new JsonObject { ["required"] = body.Required, ["content"] = new JsonObject { [body.MediaType] = media } };
        }

        var responses = new JsonObject();
        foreach (var status in route.Responses.GroupBy(r => r.Status).OrderBy(g => g.Key))
        {
            var response = new JsonObject { ["description"] = Reason(status.Key) };
            if (status.Any(r => r.Type is not null))
            {
                response["content"] = new JsonObject(status.Where(r => r.Type is not null)
                    .Select(r => KeyValuePair.Create(r.MediaType!, (JsonNode?)new JsonObject { ["schema"] = schemas.Ref(r.Type!) })));
            }

            responses[status.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)] = response;
        }

        foreach (var status in ProblemResponses.For(route))
        {
            responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject { ["$ref"] = "#/components/responses/" + ProblemResponses.Name(status) };
        }

        operation["responses"] = responses;
        return operation;
    }

    // The servers refuse a member they do not know (WireJson.ServerUnmappedMembers: a typo is a 400, not an ignored
    // setting), so every schema a request body reaches says so; answers stay open, for newer servers' fields.
    private static void RefuseUnknownMembers(JsonObject components, IEnumerable<string> bodies)
    {
        var pending = new Queue<string>(bodies);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryDequeue(out var name))
        {
            if (!seen.Add(name) || components[name] is not JsonObject schema)
            {
                continue;
            }

            if (schema.ContainsKey("properties"))
            {
                schema["additionalProperties"] = false;
            }

            foreach (var reference in References(schema))
            {
                pending.Enqueue(reference);
            }
        }
    }

    private static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "$ref" && p.Value!.GetValue<string>() is var r && r.StartsWith(SchemaRefPrefix, StringComparison.Ordinal)
            ? [r[SchemaRefPrefix.Length..]]
            : References(p.Value)),
        JsonArray a => a.SelectMany(References),
        _ => [],
    };

    private const string SchemaRefPrefix = "#/components/schemas/";

    // Each {parameter} of the template; a collection name, tenant id or plan id carries its name rule's pattern.
    private static IEnumerable<JsonObject> PathParameters(string template)
    {
        var segments = template.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < segments.Length; i++)
        {
            if (segments[i] is not ['{', .., '}'])
            {
                continue;
            }

            var owner = i > 0 ? segments[i - 1] : string.Empty;
            var rule = owner switch
            {
                "collections" => NameRules.CollectionName,
                "tenants" => NameRules.TenantId,
                "plans" => NameRules.PlanId,
                _ => null,
            };
            var schema = new JsonObject { ["type"] = "string", ["minLength"] = 1 };
            if (rule is not null)
            {
                schema["pattern"] = rule.Pattern;
            }

            var noun = owner.TrimEnd('s').Replace('-', ' ');
            yield return new JsonObject
            {
                ["name"] = segments[i][1..^1],
                ["in"] = "path",
                ["required"] = true,
                ["description"] = rule is not null ? $"The {rule.Kind}: {rule.Description}." : $"The {noun} id.",
                ["schema"] = schema,
            };
        }
    }

    private static string Tag(PublicRoute route)
    {
        var dot = route.Name.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? route.Name[..dot] : route.Name;
    }

    private static int MethodOrder(string method) => Array.IndexOf(["GET", "PUT", "POST", "PATCH", "DELETE"], method);

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No content",
        _ => "Success",
    };

    /// <summary>The repository root: the nearest directory above <paramref name="start"/> holding Piramid.sln.</summary>
    public static string RepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Piramid.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Piramid.sln above {start}.");
    }

    /// <summary>Where the document is committed.</summary>
    public static string DocumentPath(string root) => Path.Combine(root, "docs", "openapi.json");

    /// <summary>The command that rewrites the committed document.</summary>
    public const string RegenerateCommand = "dotnet run --project src/Shared/Piramid.OpenApi -c Release";

    /// <summary>UTF-8 without a byte order mark.</summary>
    public static UTF8Encoding Utf8 { get; } = new(encoderShouldEmitUTF8Identifier: false);
}
