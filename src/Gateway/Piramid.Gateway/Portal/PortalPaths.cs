namespace Piramid.Gateway.Portal;

/// <summary>
/// Which request paths the portal may answer. The API, identity, operations and reference paths are never the
/// portal's: their unknown paths keep the problem+json 404 of the API. A path that could step out of the portal's
/// directory is refused before any file is looked up.
/// </summary>
public static class PortalPaths
{
    /// <summary>Prefix of the build's hashed files (Vite's <c>dist/assets/</c>).</summary>
    public const string Assets = "/assets";

    // Every prefix another part of the gateway owns, today or once its feature lands (webhooks).
    private static readonly string[] Reserved =
        ["/v1", "/connect", "/account", "/.well-known", "/internal", "/health", "/metrics", "/openapi.json", "/docs", "/webhooks"];

    /// <summary>True when <paramref name="path"/> belongs to the API or identity side, not to the portal.</summary>
    public static bool IsReserved(PathString path)
    {
        foreach (var prefix in Reserved)
        {
            if (path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// False for a path that names a parent or current directory, a backslash, an encoded slash (Kestrel keeps
    /// <c>%2F</c> encoded in the path), a colon or a control character: none is ever part of a portal file or route,
    /// and each is a way to reach outside the directory on some file system.
    /// </summary>
    public static bool IsSafe(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        foreach (var c in path)
        {
            if (c is '\\' or ':' or '\0' || char.IsControl(c))
            {
                return false;
            }
        }

        if (path.Contains("%2f", StringComparison.OrdinalIgnoreCase) || path.Contains("%5c", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (var segment in path.Split('/'))
        {
            if (segment is "." or "..")
            {
                return false;
            }
        }

        return true;
    }
}
