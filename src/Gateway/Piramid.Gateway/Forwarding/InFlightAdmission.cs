using Piramid.Contracts.Problems;
using Piramid.ServiceDefaults;

namespace Piramid.Gateway.Forwarding;

/// <summary>
/// Proxy step: counts the data request in its tenant's <see cref="InFlightLimits"/> from here until its answer is
/// sent whole (or the client is cut off), and refuses it with 429 when the tenant is at its plan's limit and no slot frees
/// within <c>Gateway:InFlightQueueWait</c>.
/// </summary>
public static class InFlightAdmission
{
    /// <summary>The step.</summary>
    public static async Task AdmitAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (EngineRequest.Of(context) is not { } request)
        {
            await next(context);
            return;
        }

        var inFlight = context.RequestServices.GetRequiredService<InFlightLimits>();
        var limit = request.Key?.Plan.MaxRequestsInFlight; // null: the gateway's default (a JWT caller has no plan here)
        if (!await inFlight.TryEnter(request.TenantId, limit, context.RequestAborted))
        {
            context.Response.Headers.RetryAfter = "1";
            context.RequestServices.GetRequiredService<Telemetry.GatewayTelemetry>().Refused(Telemetry.GatewayTelemetry.InFlight);
            await ProblemResults.WriteAsync(context, ProblemCatalog.RateLimited,
                "This tenant has as many requests in flight as its plan allows, and none finished in time; retry when one has finished.");
            return;
        }

        try
        {
            await next(context);
        }
        finally
        {
            inFlight.Exit(request.TenantId, limit);
        }
    }
}
