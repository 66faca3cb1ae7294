using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Piramid.ControlPlane.Identity;

/// <summary>
/// The sign-in page's stylesheet (<c>Identity/login.css</c>, embedded), a file of its own because the page's
/// Content-Security-Policy allows no inline style. Under <c>/account/</c>, so the gateway forwards it with the page.
/// </summary>
internal static class LoginStylesheet
{
    /// <summary>Where the page links it.</summary>
    public const string Path = "/account/login.css";

    private const string Resource = "Piramid.ControlPlane.Identity.login.css";

    private static readonly (byte[] Bytes, EntityTagHeaderValue ETag) File = Load();

    /// <summary>Maps <see cref="Path"/>, revalidated by its ETag.</summary>
    public static IEndpointRouteBuilder MapLoginStylesheet(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(Path, [HttpMethods.Get, HttpMethods.Head], (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-cache";
            return TypedResults.Bytes(File.Bytes, "text/css; charset=utf-8", entityTag: File.ETag);
        }).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    private static (byte[], EntityTagHeaderValue) Load()
    {
        using var stream = typeof(LoginStylesheet).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The control plane was built without its embedded {Resource}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var bytes = copy.ToArray();
        return (bytes, new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 16))}\""));
    }
}
