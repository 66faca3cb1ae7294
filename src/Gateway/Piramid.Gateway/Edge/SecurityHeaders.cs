namespace Piramid.Gateway.Edge;

/// <summary>
/// Browser-facing hardening on every response, including the ones proxied from the engines and the control
/// plane: no MIME sniffing, no framing, no referrer, a locked-down CSP, HSTS over HTTPS, and no
/// <c>Server</c> header that names the stack behind the gateway.
/// </summary>
public static class SecurityHeaders
{
    // API responses are data, never documents: nothing may load from them.
    private const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";

    // The portal (Portal/PortalFiles.cs) and the control plane's sign-in page, the HTML that passes through: scripts and
    // styles only from files of the gateway's origin, never inline; the only calls are to that origin (the API and the
    // OAuth endpoints); forms post only there.
    internal const string PagePolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    // The API reference page (Reference/ApiReference.cs): Scalar starts from one inline module script and styles
    // inline; everything it loads comes from the gateway. No credential is ever needed to see it.
    private const string ReferencePolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; frame-ancestors 'none'";

    /// <summary>Adds the headers just before the response starts.</summary>
    public static Task ApplyAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            var headers = http.Response.Headers;
            headers.Remove("Server");
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Resource-Policy"] = "same-site";
            var html = http.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true;
            headers.ContentSecurityPolicy = http.Features.Get<Portal.PortalAnswer>() is not null ? PagePolicy
                : !html ? ApiPolicy
                : http.Request.Path.StartsWithSegments(Reference.ApiReference.PagePath, StringComparison.OrdinalIgnoreCase) ? ReferencePolicy
                : PagePolicy;
            if (http.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            }

            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
