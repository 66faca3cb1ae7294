using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Piramid.Contracts.Names;
using Piramid.Contracts.Problems;
using Piramid.Contracts.Routes;
using Piramid.OpenApi;
using Piramid.TestKit;

namespace Piramid.Contracts.Tests.OpenApi;

/// <summary>
/// docs/openapi.json is the generator's output (src/Shared/Piramid.OpenApi), a valid OpenAPI 3.1 document, and
/// complete enough to generate clients from: every table route and nothing else, a typed success answer per
/// operation, an example per request body that its own schema accepts, and every problem status of the catalogue.
/// </summary>
public sealed class GeneratedDocumentTests
{
    private static readonly string[] Methods = ["get", "put", "post", "patch", "delete", "head", "options", "trace"];

    private static JsonObject Generated { get; } = OpenApiGenerator.Generate();

    [Fact]
    public void CommittedDocument_IsTheGeneratedOne()
    {
        var committed = File.ReadAllText(OpenApiGenerator.DocumentPath(RepositoryPaths.Root));
        Assert.True(committed == OpenApiGenerator.GenerateText(),
            $"docs/openapi.json is stale: regenerate it with `{OpenApiGenerator.RegenerateCommand}` and commit it (then `npm run generate` in src/Shared/piramid-client-ts).");
    }

    [Fact]
    public void Document_ReadsAsOpenApi31_WithoutErrors()
    {
        var result = Microsoft.OpenApi.OpenApiDocument.Parse(OpenApiGenerator.GenerateText(), "json");
        Assert.Empty(result.Diagnostic!.Errors.Select(e => $"{e.Pointer}: {e.Message}"));
        Assert.Equal(Microsoft.OpenApi.OpenApiSpecVersion.OpenApi3_1, result.Diagnostic.SpecificationVersion);
        var validation = Microsoft.OpenApi.OpenApiElementExtensions.Validate(result.Document!, Microsoft.OpenApi.ValidationRuleSet.GetDefaultRuleSet());
        Assert.Empty(validation.Select(e => $"{e.Pointer}: {e.Message}"));
    }

    [Fact]
    public void Operations_AreExactlyTheRouteTable_AndItsDataRoutesUnderTheMemberPrefix()
    {
        var documented = Generated["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Where(o => Methods.Contains(o.Key)).Select(o => $"{o.Key.ToUpperInvariant()} {p.Key}"))
            .Order(StringComparer.Ordinal);
        var expected = PublicRoutes.All.Select(r => r.ToString())
            .Concat(PublicRoutes.Engine.Select(r => $"{r.Method} {MemberRoutes.Template(r)}"));
        Assert.Equal(expected.Order(StringComparer.Ordinal), documented);
    }

    [Fact]
    public void EveryMemberDataOperation_IsItsTableRoute_WithTheTenantIdAndAPersonsToken()
    {
        var paths = Generated["paths"]!.AsObject();
        foreach (var route in PublicRoutes.Engine)
        {
            var method = route.Method.ToLowerInvariant();
            var own = paths[route.Template]![method]!.AsObject();
            var member = paths[MemberRoutes.Template(route)]![method]!.AsObject();
            var why = $"{route} under {MemberRoutes.Prefix}";
            Assert.True(JsonNode.DeepEquals(own["requestBody"], member["requestBody"]), why);
            Assert.True(JsonNode.DeepEquals(own["responses"], member["responses"]), why);
            Assert.Equal(own["x-piramid-role"]?.GetValue<string>(), member["x-piramid-role"]?.GetValue<string>());
            var tenant = member["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "tenant_id")!;
            Assert.Equal("path", (string?)tenant["in"]);
            Assert.Equal(NameRules.TenantId.Pattern, (string?)tenant["schema"]!["pattern"]);
            // The same parameters besides the tenant's.
            Assert.True(JsonNode.DeepEquals(own["parameters"] ?? new JsonArray(),
                new JsonArray([.. member["parameters"]!.AsArray().Where(p => p != tenant).Select(p => p!.DeepClone())])), why);
            var security = member["security"]!.AsArray();
            Assert.True(security.Count == 1 && security[0]!.AsObject().Single().Key == "oauth2", why);
        }

        var flows = Generated["components"]!["securitySchemes"]!["oauth2"]!["flows"]!.AsObject();
        Assert.True(flows.ContainsKey("authorizationCode"));
    }

    [Fact]
    public void EveryOperation_AnswersSuccessWithASchema()
    {
        foreach (var (name, operation) in Operations())
        {
            var success = operation["responses"]!.AsObject().Where(r => r.Key.StartsWith('2')).ToList();
            Assert.True(success.Count > 0, $"{name} documents no 2xx answer");
            foreach (var (status, response) in success.Where(s => s.Key != "204"))
            {
                var content = response!["content"]?.AsObject();
                Assert.True(content is { Count: > 0 } && content.All(c => c.Value!["schema"] is not null), $"{name} answers {status} without a body schema");
            }
        }
    }

    [Fact]
    public void EveryRequestBody_HasAnExample_ItsSchemaAccepts()
    {
        var bodies = 0;
        foreach (var (name, operation) in Operations())
        {
            if (operation["requestBody"] is not { } body)
            {
                continue;
            }

            foreach (var (mediaType, media) in body["content"]!.AsObject())
            {
                bodies++;
                var example = media!["example"] ?? throw new Xunit.Sdk.XunitException($"{name} ({mediaType}) has no example: add an <example> to its body type's XML docs");
                var errors = Validate(media["schema"]!, example);
                Assert.True(errors.Count == 0, $"{name}'s example fails its schema: {string.Join("; ", errors)}");
            }
        }

        Assert.True(bodies >= PublicRoutes.All.Count(r => r.Body is not null));
    }

    // The validator the examples pass is not one that passes anything: wrong types and values outside an enum fail.
    [Theory]
    [InlineData("CreateCollectionRequest", """{"dimension": 4, "metric": "manhattan"}""")]
    [InlineData("CreateCollectionRequest", """{"dimension": "four"}""")]
    [InlineData("SearchRequest", """{"vector": [0.1, "x"], "top_k": 5}""")]
    [InlineData("SearchRequest", """{"top_k": 5.5}""")]
    [InlineData("UpsertPointsRequest", """{"points": [{"id": 7}]}""")]
    [InlineData("TokenRequest", """{"client_id": "x"}""")]
    [InlineData("SearchRequest", """{"vector": [0.1], "topk": 5}""")]
    [InlineData("UpsertPointsRequest", """{"points": [{"id": "a1", "vector": [0.1], "meta": {}}]}""")]
    public void Schemas_RefuseWrongBodies(string schema, string body)
    {
        var errors = Validate(new JsonObject { ["$ref"] = "#/components/schemas/" + schema }, JsonNode.Parse(body)!);
        Assert.NotEmpty(errors);
    }

    [Fact]
    public void EveryProblemStatus_IsDocumented_WithTheCataloguesTypes()
    {
        var responses = Generated["components"]!["responses"]!.AsObject();
        foreach (var status in ProblemCatalog.All.Select(k => k.Status).Distinct())
        {
            var response = responses[ProblemResponses.Name(status)];
            Assert.True(response is not null, $"no problem response for {status}");
            Assert.All(ProblemCatalog.All.Where(k => k.Status == status), k => Assert.Contains(k.Type, response["description"]!.GetValue<string>(), StringComparison.Ordinal));
        }

        var types = Generated["components"]!["schemas"]!["Problem"]!["properties"]!["type"]!["enum"]!.AsArray().Select(t => t!.GetValue<string>());
        Assert.Equal(ProblemCatalog.All.Select(k => k.Type), types);

        // Every error answer an operation documents is a problem of a status in the catalogue.
        foreach (var (name, operation) in Operations())
        {
            foreach (var (status, response) in operation["responses"]!.AsObject().Where(r => r.Key[0] is '4' or '5'))
            {
                Assert.Equal("#/components/responses/Problem" + status, response!["$ref"]?.GetValue<string>());
                Assert.True(responses.ContainsKey("Problem" + status), $"{name} answers {status}, which no problem of the catalogue has");
            }

            Assert.True(operation["responses"]!.AsObject().ContainsKey("500"), $"{name} does not document 500");
        }
    }

    [Fact]
    public void EveryReference_Resolves()
    {
        var text = Generated.ToJsonString();
        var schemas = Generated["components"]!["schemas"]!.AsObject();
        var responses = Generated["components"]!["responses"]!.AsObject();
        foreach (var reference in References(Generated))
        {
            var target = reference.StartsWith("#/components/schemas/", StringComparison.Ordinal) ? schemas[reference["#/components/schemas/".Length..]]
                : reference.StartsWith("#/components/responses/", StringComparison.Ordinal) ? responses[reference["#/components/responses/".Length..]]
                : null;
            Assert.True(target is not null, $"{reference} resolves to nothing");
        }

        // And every schema is used: nothing documented that no route reads or writes.
        Assert.All(schemas.Select(s => s.Key), s => Assert.Contains($"\"#/components/schemas/{s}\"", text, StringComparison.Ordinal));
    }

    [Fact]
    public void Schemas_CarryRequiredEnumsFormatsAndDescriptions()
    {
        var schemas = Generated["components"]!["schemas"]!;
        Assert.Equal(["count", "lsn"], schemas["WriteResult"]!["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("int64", schemas["WriteResult"]!["properties"]!["lsn"]!["format"]!.GetValue<string>());
        Assert.Contains("euclidean", schemas["CreateCollectionRequest"]!["properties"]!["metric"]!["enum"]!.AsArray().Select(v => v?.GetValue<string>()));
        Assert.Contains("int8", schemas["CreateCollectionRequest"]!["properties"]!["quantization"]!["enum"]!.AsArray().Select(v => v?.GetValue<string>()));
        Assert.Equal("date-time", schemas["TenantInfo"]!["properties"]!["created_at"]!["format"]!.GetValue<string>());
        Assert.Equal("float", schemas["SearchRequest"]!["properties"]!["vector"]!["items"]!["format"]!.GetValue<string>());
        // A <see cref> to a limit reads as its value, so the document cannot state an old limit.
        Assert.Contains(Limits.MaxTopK.ToString(System.Globalization.CultureInfo.InvariantCulture), schemas["SearchRequest"]!["properties"]!["top_k"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        var security = Generated["components"]!["securitySchemes"]!["oauth2"]!["flows"]!.AsObject();
        Assert.True(security.ContainsKey("clientCredentials") && security.ContainsKey("authorizationCode"));
    }

    private static IEnumerable<(string Name, JsonObject Operation)> Operations() =>
        Generated["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()
            .Where(o => Methods.Contains(o.Key))
            .Select(o => ($"{o.Key.ToUpperInvariant()} {p.Key}", o.Value!.AsObject())));

    private static IEnumerable<string> References(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (key == "$ref")
                    {
                        yield return value!.GetValue<string>();
                    }

                    foreach (var inner in References(value))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonArray a:
                foreach (var inner in a.SelectMany(References))
                {
                    yield return inner;
                }

                break;
        }
    }

    // The schema with the document's components as $defs, evaluated as JSON Schema 2020-12 (OpenAPI 3.1's dialect).
    private static List<string> Validate(JsonNode schema, JsonNode instance)
    {
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"https://piramid.test/{Guid.NewGuid():N}",
            ["$defs"] = Generated["components"]!["schemas"]!.DeepClone(),
            ["allOf"] = new JsonArray(schema.DeepClone()),
        };
        var text = root.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        var results = JsonSchema.FromText(text).Evaluate(JsonDocument.Parse(instance.ToJsonString()).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid ? [] : [.. (results.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))];
    }
}
