using Piramid.Contracts.Problems;
using Piramid.Gateway.Forwarding;

namespace Piramid.Gateway.Usage;

/// <summary>Proxy step: refuses a data request with 403 <c>quota-exceeded</c> once its plan's monthly units of that kind are used up.</summary>
public static class QuotaCheck
{
    /// <summary>The step.</summary>
    public static async Task CheckAsync(HttpContext context, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (EngineRequest.Of(context) is { Key: { } key } request
            && context.RequestServices.GetRequiredService<UsageMeter>().ExhaustedQuota(key.TenantId, request.Write, key.Plan) is { } quota)
        {
            await Results.Problem(statusCode: 403, type: ProblemTypes.QuotaExceeded, title: "Quota exceeded",
                detail: $"The plan's '{quota}' for this calendar month (UTC) is used up.",
                extensions: new Dictionary<string, object?> { ["quota"] = quota }).ExecuteAsync(context);
            return;
        }

        await next();
    }
}
