using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;
using Scalar.AspNetCore;

namespace Piramid.Gateway.Reference;

/// <summary>
/// The API's reference, served by the gateway without a credential: the OpenAPI document at
/// <c>/openapi.json</c> (docs/openapi.json, embedded at build, with an ETag so clients revalidate instead of
/// downloading it again) and Scalar's rendered page at <c>/docs</c>, whose script is served from the Scalar
/// package itself, so the page works with no internet access.
/// </summary>
public static class ApiReference
{
    /// <summary>Path of the OpenAPI document.</summary>
    public const string DocumentPath = "/openapi.json";

    /// <summary>Path of the rendered reference page.</summary>
    public const string PagePath = "/docs";

    // docs/openapi.json as committed (the project embeds it under this name).
    private const string Resource = "openapi.json";

    /// <summary>The embedded document's bytes and their entity tag.</summary>
    internal static (byte[] Bytes, EntityTagHeaderValue ETag) Document { get; } = Load();

    /// <summary>Maps the document and the page.</summary>
    public static IEndpointRouteBuilder MapApiReference(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // A file result answers If-None-Match with 304 and HEAD without a body by itself.
        app.MapMethods(DocumentPath, ["GET", "HEAD"], (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=300";
            return TypedResults.Bytes(Document.Bytes, "application/json", entityTag: Document.ETag);
        }).AllowAnonymous().ExcludeFromDescription();
        app.MapScalarApiReference(PagePath, options => options
            .WithTitle("Piramid API reference")
            .WithOpenApiRoutePattern(DocumentPath))
            .AllowAnonymous();
        return app;
    }

    private static (byte[], EntityTagHeaderValue) Load()
    {
        using var stream = typeof(ApiReference).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The gateway was built without its embedded {Resource}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var bytes = copy.ToArray();
        var tag = Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 16));
        return (bytes, new EntityTagHeaderValue($"\"{tag}\""));
    }
}
