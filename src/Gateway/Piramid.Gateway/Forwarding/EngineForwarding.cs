using System.Security.Claims;
using System.Security.Cryptography;
using Piramid.Contracts;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Identity;
using Piramid.Contracts.Problems;
using Piramid.Gateway.Authentication;
using Piramid.Gateway.ControlPlane;
using Piramid.Gateway.Limits;
using Piramid.Gateway.Routing;
using Piramid.Gateway.Usage;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Piramid.Gateway.Forwarding;

/// <summary>
/// The last steps before an engine: pick the caller's tenant's destination, enforce the role, strip every
/// credential and client-sent internal header, and sign the identity for that engine (docs/design/internal-auth.md).
/// </summary>
public static class EngineForwarding
{
    /// <summary>Proxy pipeline step: narrows the engines cluster to the caller's tenant and checks the role.</summary>
    public static async Task SelectTenantAsync(HttpContext context, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var proxy = context.GetReverseProxyFeature();
        if (TenantKeys.IsRoute(proxy.Route.Config.RouteId))
        {
            if (context.Items[ApiKeyAuthenticationHandler.IdentityItem] is KeyIntrospectionResponse { TenantSuspended: true })
            {
                await Results.Problem(statusCode: 403, type: ProblemTypes.TenantSuspended, title: "Tenant suspended",
                    detail: "This tenant is suspended; its data is kept. Ask the platform operator to resume it.").ExecuteAsync(context);
                return;
            }

            if (TenantKeys.Check(context.User) is { } refused)
            {
                await Results.Problem(statusCode: 403, type: ProblemTypes.Forbidden, title: "Forbidden", detail: refused).ExecuteAsync(context);
                return;
            }

            await next();
            return;
        }

        if (proxy.Route.Cluster?.ClusterId != GatewayProxyConfig.EnginesCluster)
        {
            await next();
            return;
        }

        var tenant = context.User.FindFirstValue(GatewayClaims.Tenant);
        var denied = TenantAccess.Check(context.User, context.Request.Method, context.Request.Path.Value ?? "/");
        if (denied is not null)
        {
            await Results.Problem(statusCode: 403, type: ProblemTypes.Forbidden, title: "Forbidden", detail: denied).ExecuteAsync(context);
            return;
        }

        var write = TenantAccess.IsWrite(context.Request.Method, context.Request.Path.Value ?? "/");
        var meter = context.RequestServices.GetRequiredService<UsageMeter>();
        if (context.Items[ApiKeyAuthenticationHandler.IdentityItem] is KeyIntrospectionResponse key)
        {
            if (key.TenantSuspended)
            {
                await Results.Problem(statusCode: 403, type: ProblemTypes.TenantSuspended, title: "Tenant suspended",
                    detail: "This tenant is suspended; its data is kept. Ask the platform operator to resume it.").ExecuteAsync(context);
                return;
            }

            if (meter.ExhaustedQuota(key.TenantId, write, key.Plan) is { } quota)
            {
                await Results.Problem(statusCode: 403, type: ProblemTypes.QuotaExceeded, title: "Quota exceeded",
                    detail: $"The plan's '{quota}' for this calendar month (UTC) is used up.",
                    extensions: new Dictionary<string, object?> { ["quota"] = quota }).ExecuteAsync(context);
                return;
            }

            var decision = context.RequestServices.GetRequiredService<RateLimits>()
                .Admit(key.TenantId, key.KeyId, write, key.Plan);
            RateLimits.WriteHeaders(context.Response, decision);
            if (!decision.Admitted)
            {
                await Results.Problem(statusCode: 429, type: ProblemTypes.RateLimited, title: "Too many requests",
                    detail: "The plan's request rate is exceeded; retry after the number of seconds in Retry-After.").ExecuteAsync(context);
                return;
            }
        }

        var destination = proxy.AllDestinations.FirstOrDefault(d => d.DestinationId == tenant);
        if (destination is null && tenant is not null
            && await context.RequestServices.GetRequiredService<RouteWaiters>().WaitAsync(tenant, context.RequestAborted) is { } route)
        {
            // The route arrived while this request waited: the proxy's snapshot taken for it predates the route.
            destination = new DestinationState(tenant, new DestinationModel(new DestinationConfig { Address = route.Endpoint.ToString() }));
        }

        if (destination is null || tenant is null)
        {
            context.Response.Headers.RetryAfter = "2";
            await Results.Problem(statusCode: 503, type: ProblemTypes.EngineUnavailable, title: "Engine unavailable",
                detail: "The tenant's engine is starting or restarting; retry shortly.").ExecuteAsync(context);
            return;
        }

        var inFlight = context.RequestServices.GetRequiredService<InFlightLimits>();
        var inFlightLimit = (context.Items[ApiKeyAuthenticationHandler.IdentityItem] as KeyIntrospectionResponse)?.Plan.MaxRequestsInFlight;
        if (!await inFlight.TryEnter(tenant, inFlightLimit, context.RequestAborted))
        {
            context.Response.Headers.RetryAfter = "1";
            await Results.Problem(statusCode: 429, type: ProblemTypes.RateLimited, title: "Too many requests in flight",
                detail: "This tenant has as many requests in flight as it may; retry when one has finished.").ExecuteAsync(context);
            return;
        }

        try
        {
            proxy.AvailableDestinations = [destination];
            RequestBilling.Attach(context, meter, tenant, write);
            await next();
        }
        finally
        {
            // The forward returns once the answer is sent whole (or the client is cut off): a slow reader counts.
            inFlight.Exit(tenant, inFlightLimit);
        }
    }

    /// <summary>Transforms of every proxied request.</summary>
    public static void AddTransforms(TransformBuilderContext builder, RoutingTable table, TimeProvider time, ControlPlaneClient controlPlane)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (TenantKeys.IsRoute(builder.Route.RouteId))
        {
            builder.AddRequestTransform(transform => TenantKeys.ForwardAsync(transform, controlPlane));
            return;
        }

        // Engines read no X-Forwarded-* or Forwarded (the client's address is recorded by the gateway, in its
        // audit of authentication failures), and every header sent is parsed on every request: they are
        // removed, client-sent ones included. Routes to the control plane keep YARP's defaults.
        if (builder.Route.ClusterId == GatewayProxyConfig.EnginesCluster)
        {
            builder.UseDefaultForwarders = false;
            builder.AddXForwarded(ForwardedTransformActions.Remove);
            builder.AddRequestHeaderRemove("Forwarded");
        }

        builder.AddRequestTransform(transform =>
        {
            var headers = transform.ProxyRequest.Headers;
            // Runs on every request: a list is only made when a client did send internal headers.
            List<string>? internalHeaders = null;
            foreach (var header in headers)
            {
                if (header.Key.StartsWith("X-Piramid-", StringComparison.OrdinalIgnoreCase))
                {
                    (internalHeaders ??= []).Add(header.Key);
                }
            }

            foreach (var name in internalHeaders ?? [])
            {
                headers.Remove(name);
            }

            if (builder.Route.ClusterId != GatewayProxyConfig.EnginesCluster)
            {
                return ValueTask.CompletedTask;
            }

            // The engine trusts only the signed identity; the tenant's key never travels further.
            headers.Remove("Authorization");
            headers.Remove(HeaderNames.ApiKey);
            var user = transform.HttpContext.User;
            var tenant = user.FindFirstValue(GatewayClaims.Tenant)!;
            var route = table.Find(tenant) ?? throw new InvalidOperationException("route vanished between selection and forwarding");
            // YARP builds the address only after the transforms, unless one sets it: set here, the signed path is
            // exactly the path sent (the request line carries RequestUri.PathAndQuery).
            var uri = ForwardedPath.DestinationUri(transform.HttpContext.Request, transform.DestinationPrefix, transform.Path, transform.Query.QueryString);
            transform.ProxyRequest.RequestUri = uri;
            var identity = new InternalIdentity(
                user.FindFirstValue(GatewayClaims.Principal)!,
                tenant,
                user.FindFirstValue(GatewayClaims.Role)!,
                transform.ProxyRequest.Method.Method,
                uri.AbsolutePath,
                time.GetUtcNow().ToUnixTimeMilliseconds(),
                Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
                [.. user.FindAll(GatewayClaims.Collection).Select(c => c.Value)]);
            headers.Add(HeaderNames.Identity, InternalIdentitySigner.Sign(identity, route.Secret));
            headers.Remove(HeaderNames.RequestId);
            headers.Add(HeaderNames.RequestId, transform.HttpContext.TraceIdentifier);
            return ValueTask.CompletedTask;
        });
    }
}
