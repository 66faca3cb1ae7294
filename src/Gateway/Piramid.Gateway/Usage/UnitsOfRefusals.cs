using System.Globalization;

namespace Piramid.Gateway.Usage;

/// <summary>
/// Middleware right after a data request is described: an answer that cost nothing (a refusal, by the gateway or the
/// engine) says so in <c>Piramid-Units</c> (<c>read=0</c> or <c>write=0</c>), so every answer of the tenant API carries
/// what it cost. A successful answer's units are set by <see cref="RequestBilling"/>.
/// </summary>
public static class UnitsOfRefusals
{
    /// <summary>The step.</summary>
    public static Task MarkAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (Forwarding.EngineRequest.Of(context) is { } request)
        {
            context.Response.OnStarting(static state =>
            {
                var (response, write) = ((HttpResponse, bool))state;
                if (response.StatusCode >= 400 && !response.Headers.ContainsKey(RequestBilling.UnitsHeader))
                {
                    response.Headers[RequestBilling.UnitsHeader] = string.Create(CultureInfo.InvariantCulture, $"{(write ? "write" : "read")}=0");
                }

                return Task.CompletedTask;
            }, (context.Response, request.Write));
        }

        return next(context);
    }
}
