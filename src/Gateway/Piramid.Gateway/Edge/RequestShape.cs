using System.Collections.Frozen;
using Piramid.Contracts.Problems;
using Piramid.ServiceDefaults;

namespace Piramid.Gateway.Edge;

/// <summary>
/// The request line, checked at the door before anything else: a method the gateway does not implement
/// (<c>CONNECT</c>, <c>TRACE</c>, WebDAV's, made-up ones) is a 501 and is never forwarded, so no request can make an
/// engine or the control plane look down. Methods the gateway implements but a route does not serve get a 405 with
/// <c>Allow</c> from routing (each route lists its methods in <c>Routing/GatewayProxyConfig.cs</c>).
/// </summary>
public static class RequestShape
{
    /// <summary>Every method some route serves, plus <c>HEAD</c> and <c>OPTIONS</c> (CORS preflights).</summary>
    public static readonly FrozenSet<string> ImplementedMethods = FrozenSet.Create(
        StringComparer.Ordinal, "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    /// <summary>Middleware: 501 for other methods.</summary>
    public static Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (!ImplementedMethods.Contains(context.Request.Method))
        {
            context.Response.Headers.Allow = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
            return ProblemResults.WriteAsync(context, ProblemCatalog.NotImplemented,
                $"The method '{Printable(context.Request.Method)}' is not served here; use one of GET, POST, PUT, PATCH, DELETE.");
        }

        return next(context);
    }

    // A method is a token, but it is echoed back: keep it short and printable.
    private static string Printable(string method) =>
        method.Length <= 32 && method.All(c => c is > ' ' and < (char)0x7F) ? method : "(unprintable)";
}
