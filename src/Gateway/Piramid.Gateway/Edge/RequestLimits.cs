using Piramid.Contracts.Problems;
using Piramid.ServiceDefaults;

namespace Piramid.Gateway.Edge;

/// <summary>
/// Size limits checked before any credential is looked at, so an oversized request costs nothing and gets a
/// problem body. Kestrel's own limits sit above these as a backstop (its refusals carry no body).
/// </summary>
public static class RequestLimits
{
    /// <summary>Kestrel's hard header limit: twice ours, so ours answers first with a readable 431.</summary>
    public const int KestrelHeaderBytes = 2 * GatewayOptions.DefaultMaxRequestHeaderBytes;

    /// <summary>Refuses a declared body over the limit (413) and headers over the limit (431).</summary>
    public static async Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var options = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<GatewayOptions>>().Value;
        if (context.Request.ContentLength > Contracts.Limits.MaxRequestBodyBytes)
        {
            await TooLargeAsync(context);
            return;
        }

        long headerBytes = 0;
        foreach (var (name, values) in context.Request.Headers)
        {
            // Name, ": ", value and CRLF per line, as on the wire.
            foreach (var value in values)
            {
                headerBytes += name.Length + 4 + (value?.Length ?? 0);
            }
        }

        if (headerBytes > options.MaxRequestHeaderBytes)
        {
            await ProblemResults.WriteAsync(context, ProblemCatalog.HeadersTooLarge, $"The request headers exceed {options.MaxRequestHeaderBytes} bytes.");
            return;
        }

        await next(context);
    }

    /// <summary>The 413 body, also used when a chunked body turns out too large while it is forwarded.</summary>
    public static Task TooLargeAsync(HttpContext context) =>
        ProblemResults.WriteAsync(context, ProblemCatalog.PayloadTooLarge, $"The request body exceeds {Contracts.Limits.MaxRequestBodyBytes} bytes.");
}
