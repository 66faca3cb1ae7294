using Piramid.Contracts.Problems;
using Piramid.Gateway.Forwarding;
using Piramid.Gateway.Routing;
using Piramid.ServiceDefaults;
using Yarp.ReverseProxy.Forwarder;

namespace Piramid.Gateway.Edge;

/// <summary>
/// Turns a failed forward into a problem the client can act on: a body that was too large is the client's
/// 413; an engine or control plane that cannot be reached is a 503 with <c>Retry-After</c>. YARP's own
/// error responses are empty and name nothing internal; this keeps it that way and adds a problem body.
/// </summary>
public static class ProxyErrors
{
    /// <summary>Proxy pipeline step: runs the forward, then rewrites its failure if nothing was sent yet.</summary>
    public static async Task MapAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        await next(context);
        var error = context.Features.Get<IForwarderErrorFeature>();
        if (error is null || context.Response.HasStarted)
        {
            return;
        }

        if (IsBodyTooLarge(error.Exception))
        {
            await RequestLimits.TooLargeAsync(context);
            return;
        }

        switch (error.Error)
        {
            case ForwarderError.RequestBodyClient or ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled:
                // The client went away or sent a broken body; if it is still listening, say so.
                await ProblemResults.WriteAsync(context, ProblemCatalog.InvalidRequest, "The request body could not be read.");
                break;
            default:
                if (context.GetReverseProxyFeature().Route.Cluster?.ClusterId == GatewayProxyConfig.EnginesCluster)
                {
                    await EngineUnavailable.WriteAsync(context, "The tenant's engine is starting or restarting; retry shortly.");
                    break;
                }

                context.Response.Headers.RetryAfter = EngineUnavailable.RetryAfterSeconds; // the control plane restarts as fast
                await ProblemResults.WriteAsync(context, ProblemCatalog.ServiceUnavailable, "The control plane is not reachable; retry shortly.");
                break;
        }
    }

    private static bool IsBodyTooLarge(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                return true;
            }
        }

        return false;
    }
}
