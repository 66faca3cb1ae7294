using Microsoft.Net.Http.Headers;
using Piramid.Contracts.Problems;
using Piramid.ServiceDefaults;

namespace Piramid.Gateway.Edge;

/// <summary>
/// Routes of the JSON API take JSON bodies: a request with a body and no <c>Content-Type</c>, or another type,
/// is a 415 at the gateway instead of whatever the service behind makes of it. Each route names what it takes
/// in its metadata (<c>Routing/GatewayProxyConfig.cs</c>); routes without it (OAuth forms) are not checked.
/// </summary>
public static class JsonBodies
{
    /// <summary>Route metadata key naming the accepted body types.</summary>
    public const string MetadataKey = "piramid.bodies";

    /// <summary><c>application/json</c> and <c>application/*+json</c>.</summary>
    public const string Json = "json";

    /// <summary>JSON, or <c>application/x-ndjson</c> (imports of the admin API).</summary>
    public const string JsonOrNdjson = "json,ndjson";

    /// <summary>Proxy pipeline step: 415 for a body of another type.</summary>
    public static Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var accepted = context.GetReverseProxyFeature().Route.Config.Metadata?.GetValueOrDefault(MetadataKey);
        if (accepted is null || !HasBody(context.Request) || IsAccepted(context.Request.ContentType, accepted))
        {
            return next(context);
        }

        var ndjson = accepted == JsonOrNdjson ? " (or application/x-ndjson for an import)" : string.Empty;
        return ProblemResults.WriteAsync(context, ProblemCatalog.UnsupportedMediaType, $"Send the body with 'Content-Type: application/json'{ndjson}.");
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    private static bool IsAccepted(string? contentType, string accepted)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || media.MediaType.Value is not { } type)
        {
            return false;
        }

        return type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
            || (accepted == JsonOrNdjson && type.Equals("application/x-ndjson", StringComparison.OrdinalIgnoreCase));
    }
}
