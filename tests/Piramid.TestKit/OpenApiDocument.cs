using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Piramid.TestKit;

/// <summary>The committed OpenAPI document (docs/openapi.json), for tests that keep it true to the code.</summary>
public static partial class OpenApiDocument
{
    /// <summary>The parsed document.</summary>
    public static JsonObject Document { get; } = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "openapi.json")))!.AsObject();

    /// <summary>True when <paramref name="method"/> on the route template is documented (parameter names may differ).</summary>
    public static bool Documents(string method, string template)
    {
        ArgumentNullException.ThrowIfNull(method);
        var wanted = Normalize(template);
        return Document["paths"]!.AsObject().Any(p => Normalize(p.Key) == wanted && p.Value![method.ToLowerInvariant()] is not null);
    }

    // "/v1/tenants/{id}/api-keys/{keyId}/" and "/v1/tenants/{id}/api-keys/{key_id}" are the same route.
    private static string Normalize(string template) => Parameter().Replace(template.TrimEnd('/'), "{}");

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
