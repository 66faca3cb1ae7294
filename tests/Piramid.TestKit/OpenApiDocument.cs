using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Piramid.TestKit;

/// <summary>
/// The OpenAPI document as src/Shared/Piramid.OpenApi generates it from the code (docs/openapi.json is the same
/// text: Piramid.Contracts.Tests checks it), for tests that hold the processes to it.
/// </summary>
public static partial class OpenApiDocument
{
    /// <summary>The generated document.</summary>
    public static JsonObject Document { get; } = Piramid.OpenApi.OpenApiGenerator.Generate();

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
