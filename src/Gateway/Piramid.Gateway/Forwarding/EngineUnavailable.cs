using Piramid.Contracts.Problems;
using Piramid.ServiceDefaults;

namespace Piramid.Gateway.Forwarding;

/// <summary>
/// The answer for a tenant whose engine cannot answer now but will shortly (starting, waking, restarting, or a route out
/// of step): 503 <c>engine-unavailable</c> with <c>Retry-After</c>, the same from every step that finds it.
/// </summary>
public static class EngineUnavailable
{
    /// <summary>Seconds before a retry: about an engine's start, so a client's retry finds it ready.</summary>
    public const string RetryAfterSeconds = "2";

    /// <summary>Writes the 503 with <paramref name="detail"/>.</summary>
    public static Task WriteAsync(HttpContext context, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.RetryAfter = RetryAfterSeconds;
        return ProblemResults.WriteAsync(context, ProblemCatalog.EngineUnavailable, detail);
    }
}
