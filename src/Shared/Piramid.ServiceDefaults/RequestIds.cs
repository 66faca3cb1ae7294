using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Piramid.Contracts;

namespace Piramid.ServiceDefaults;

/// <summary>
/// <c>X-Request-Id</c> on every answer, equal to the <c>request_id</c> of a problem body and to the id in the logs
/// (<see cref="HttpContext.TraceIdentifier"/>). A process behind the gateway may adopt the gateway's id; the
/// gateway never adopts the client's.
/// </summary>
public static class RequestIds
{
    /// <summary>Longest id adopted from a caller; a longer one is replaced.</summary>
    public const int MaxLength = 128;

    /// <summary>
    /// Sets the request id (the caller's when <paramref name="trustIncoming"/> and it is 1 to
    /// <see cref="MaxLength"/> visible ASCII characters) and answers it as <c>X-Request-Id</c>, unless a later step
    /// set the header itself (a proxied answer carries its own).
    /// </summary>
    public static IApplicationBuilder UseRequestIds(this IApplicationBuilder app, bool trustIncoming)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use((context, next) =>
        {
            var incoming = context.Request.Headers[HeaderNames.RequestId].ToString();
            if (trustIncoming && IsAcceptable(incoming))
            {
                context.TraceIdentifier = incoming;
            }

            // On starting, not now: the exception handler clears the headers of a failed answer before writing.
            context.Response.OnStarting(static state =>
            {
                var http = (HttpContext)state;
                if (string.IsNullOrEmpty(http.Response.Headers[HeaderNames.RequestId]))
                {
                    http.Response.Headers[HeaderNames.RequestId] = http.TraceIdentifier;
                }

                return Task.CompletedTask;
            }, context);
            return next(context);
        });
    }

    private static bool IsAcceptable(string id) =>
        id.Length is > 0 and <= MaxLength && id.All(c => c is > ' ' and < (char)0x7f);
}
