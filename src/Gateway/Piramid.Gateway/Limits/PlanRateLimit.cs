using Piramid.Contracts.Problems;
using Piramid.Gateway.Forwarding;
using Piramid.ServiceDefaults;

namespace Piramid.Gateway.Limits;

/// <summary>
/// Proxy step: takes a token from the key's and the tenant's buckets of the plan (<see cref="RateLimits"/>), writes
/// the <c>RateLimit-*</c> headers, and refuses with 429 and <c>Retry-After</c> when either is empty.
/// </summary>
public static class PlanRateLimit
{
    /// <summary>The step.</summary>
    public static async Task AdmitAsync(HttpContext context, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (EngineRequest.Of(context) is { Key: { } key } request)
        {
            var decision = context.RequestServices.GetRequiredService<RateLimits>().Admit(key.TenantId, key.KeyId, request.Write, key.Plan);
            RateLimits.WriteHeaders(context.Response, decision);
            if (!decision.Admitted)
            {
                await ProblemResults.WriteAsync(context, ProblemCatalog.RateLimited, "The plan's request rate is exceeded; retry after the number of seconds in Retry-After.");
                return;
            }
        }

        await next();
    }
}
