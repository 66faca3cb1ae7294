using Piramid.Gateway.Forwarding;

namespace Piramid.Gateway.Limits;

/// <summary>
/// Proxy step: the <c>RateLimit-*</c> headers of a data request the <see cref="PlanRateLimiterPolicy"/> admitted (the
/// rate-limiting middleware calls its policy only on refusals, so the admitted answer reads the buckets here).
/// </summary>
public static class PlanRateLimit
{
    /// <summary>The step.</summary>
    public static Task WriteHeadersAsync(HttpContext context, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (EngineRequest.Of(context) is { Key: { } key } request)
        {
            RateLimits.WriteHeaders(context.Response, context.RequestServices.GetRequiredService<RateLimits>().Peek(key.TenantId, key.KeyId, request.Write, key.Plan));
        }

        return next();
    }
}
