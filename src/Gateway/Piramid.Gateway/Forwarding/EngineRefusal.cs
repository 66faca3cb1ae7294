using System.Net;
using Piramid.Contracts.Problems;
using Piramid.ServiceDefaults;
using Yarp.ReverseProxy.Transforms;

namespace Piramid.Gateway.Forwarding;

/// <summary>
/// Response step of every request to an engine: an engine's 401 refuses the gateway's own signature, not the client's
/// credentials, which the gateway has already checked. Passed on, it would tell a client to fix a key that is fine.
/// It means the route names a process that is not the tenant's engine, or a secret out of step with it; the client
/// gets what it gets for an engine it cannot reach, 503 <c>engine-unavailable</c> with <c>Retry-After</c>. Nothing
/// was applied: the engine checks the signature before anything else (docs/design/internal-auth.md).
/// </summary>
public static partial class EngineRefusal
{
    /// <summary>The transform.</summary>
    public static async ValueTask MapAsync(ResponseTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.ProxyResponse is not { StatusCode: HttpStatusCode.Unauthorized } refused || context.HttpContext.Response.HasStarted)
        {
            return;
        }

        // The engine's headers were copied before the transforms ran; the gateway's own (rate limits) stay.
        var response = context.HttpContext.Response;
        foreach (var header in refused.Headers.Concat(refused.Content.Headers))
        {
            response.Headers.Remove(header.Key);
        }

        context.SuppressResponseBody = true;
        var tenant = EngineRequest.Of(context.HttpContext)?.TenantId ?? "(unknown)";
        var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EngineRefusal));
        SignatureRefused(logger, tenant);
        await EngineUnavailable.WriteAsync(context.HttpContext, "The tenant's engine is restarting; retry shortly.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The engine routed to for tenant {TenantId} refused the gateway's signature: its route or secret is out of step; answered 503")]
    private static partial void SignatureRefused(ILogger logger, string tenantId);
}
