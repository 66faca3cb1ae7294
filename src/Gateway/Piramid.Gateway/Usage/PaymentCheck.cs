using Piramid.Contracts.Problems;
using Piramid.Gateway.Forwarding;
using Piramid.ServiceDefaults;

namespace Piramid.Gateway.Usage;

/// <summary>
/// Middleware after authorization, before the quota check: refuses a write with 402 <c>payment-required</c> once the
/// tenant's payment has been past due longer than its plan's grace (the control plane says from when, with each key's
/// introspection, and renews it through the change feed). Reads go on.
/// </summary>
public static class PaymentCheck
{
    /// <summary>The step.</summary>
    public static async Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (EngineRequest.Of(context) is { Write: true, Key.WritesRefusedFrom: { } from }
            && context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow() >= from)
        {
            await ProblemResults.WriteAsync(context, ProblemCatalog.PaymentRequired,
                $"The tenant's payment has been past due since before {from:u} (the plan's grace is over): writes are refused until an invoice is paid; reads go on.");
            return;
        }

        await next(context);
    }
}
