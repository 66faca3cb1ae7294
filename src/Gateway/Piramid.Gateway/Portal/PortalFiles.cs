using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Piramid.Contracts.Problems;
using Piramid.ServiceDefaults;

namespace Piramid.Gateway.Portal;

/// <summary>
/// Serves the portal (a built single-page app, <see cref="GatewayOptions.PortalDirectory"/>) at <c>/</c>: its hashed
/// files under <c>/assets/</c> cached for a year, every other file and <c>index.html</c> revalidated on each use, and
/// <c>index.html</c> for any other GET or HEAD that asks for HTML (the app's own routes, <c>/t/…</c>, <c>/callback</c>).
/// It runs after routing and answers only requests no endpoint took, outside <see cref="PortalPaths"/>' reserved
/// prefixes; everything else goes on to the API's 404. Without a portal directory it passes every request on.
/// </summary>
public sealed class PortalFiles
{
    private const string IndexPath = "/index.html";

    // Hashed names change with their content, so a browser never needs to ask again.
    private const string ImmutableCache = "public, max-age=31536000, immutable";

    // index.html names the current hashed files: it must be checked at every load (ETag and Last-Modified make that cheap).
    private const string RevalidateCache = "no-cache";

    private readonly RequestDelegate _next;
    private readonly PhysicalFileProvider? _files;
    private readonly StaticFileMiddleware? _staticFiles;

    /// <summary>Made once, when the pipeline is built (after the options were validated at start).</summary>
    public PortalFiles(RequestDelegate next, PortalSite site, IWebHostEnvironment environment, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(site);
        _next = next;
        _files = site.Files;
        if (_files is null)
        {
            return;
        }

        _staticFiles = new StaticFileMiddleware(
            next,
            environment,
            Options.Create(new StaticFileOptions
            {
                FileProvider = _files,
                OnPrepareResponse = static file => file.Context.Response.Headers.CacheControl =
                    file.Context.Request.Path.StartsWithSegments(PortalPaths.Assets, StringComparison.Ordinal) ? ImmutableCache : RevalidateCache,
            }),
            loggerFactory);
    }

    /// <summary>The middleware.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (_staticFiles is null || context.GetEndpoint() is not null
            || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) || PortalPaths.IsReserved(request.Path))
        {
            return _next(context);
        }

        var path = request.Path.Value ?? "/";
        if (!PortalPaths.IsSafe(path))
        {
            return ProblemResults.WriteAsync(context, ProblemCatalog.InvalidRequest,
                "The path names '.' or '..', a backslash, an encoded slash, a colon or a control character; the portal serves none of these.");
        }

        // The root is the portal itself, whatever the client accepts.
        if (path == "/")
        {
            return ServeIndex(context);
        }

        if (_files!.GetFileInfo(path) is { Exists: true, IsDirectory: false })
        {
            context.Features.Set(PortalAnswer.Instance);
            return _staticFiles.Invoke(context);
        }

        // A missing hashed file is a stale page or a typo, not a route of the app: the API's 404, not HTML.
        if (path.StartsWith(PortalPaths.Assets + "/", StringComparison.Ordinal) || !AcceptsHtml(request))
        {
            return _next(context);
        }

        return ServeIndex(context);
    }

    private Task ServeIndex(HttpContext context)
    {
        context.Features.Set(PortalAnswer.Instance);
        context.Request.Path = IndexPath;
        return _staticFiles!.Invoke(context);
    }

    // Browsers navigating to a page ask for text/html; scripts and curl (*/*) get the API's answers.
    private static bool AcceptsHtml(HttpRequest request) =>
        MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var types)
        && types.Any(t => t.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) && t.Quality is not 0);
}
