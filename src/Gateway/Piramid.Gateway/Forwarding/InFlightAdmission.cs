using Piramid.Contracts.Problems;

namespace Piramid.Gateway.Forwarding;

/// <summary>
/// Proxy step: counts the data request in its tenant's <see cref="InFlightLimits"/> from here until its answer is
/// sent whole (or the client is cut off), and refuses it with 429 when the tenant is at its limit.
/// </summary>
public static class InFlightAdmission
{
    /// <summary>The step.</summary>
    public static async Task AdmitAsync(HttpContext context, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (EngineRequest.Of(context) is not { } request)
        {
            await next();
            return;
        }

        var inFlight = context.RequestServices.GetRequiredService<InFlightLimits>();
        if (!inFlight.TryEnter(request.TenantId))
        {
            context.Response.Headers.RetryAfter = "1";
            await Results.Problem(statusCode: 429, type: ProblemTypes.RateLimited, title: "Too many requests in flight",
                detail: "This tenant has as many requests in flight as it may; retry when one has finished.").ExecuteAsync(context);
            return;
        }

        try
        {
            await next();
        }
        finally
        {
            inFlight.Exit(request.TenantId);
        }
    }
}
