using Piramid.Contracts.Problems;
using Piramid.Gateway.Forwarding;
using Piramid.ServiceDefaults;

namespace Piramid.Gateway.Usage;

/// <summary>Middleware after authorization (before the plan's rate limit, so a request over its quota takes no token): refuses a data request with 403 <c>quota-exceeded</c> once its plan's monthly units of that kind are used up.</summary>
public static class QuotaCheck
{
    /// <summary>The step.</summary>
    public static async Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (EngineRequest.Of(context) is { Key: { } key } request
            && context.RequestServices.GetRequiredService<UsageMeter>().ExhaustedQuota(key.TenantId, request.Write, key.Plan) is { } quota)
        {
            context.RequestServices.GetRequiredService<Telemetry.GatewayTelemetry>().Refused(Telemetry.GatewayTelemetry.Quota);
            await ProblemResults.WriteAsync(context, ProblemCatalog.QuotaExceeded, $"The plan's '{quota}' for this calendar month (UTC) is used up.",
                new Dictionary<string, object?> { ["quota"] = quota });
            return;
        }

        await next(context);
    }
}
