using System.Security.Claims;
using Piramid.Contracts;
using Piramid.Contracts.Identity;
using Piramid.Gateway.Authentication;
using Piramid.Gateway.ControlPlane;
using Piramid.Gateway.Routing;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Piramid.Gateway.Forwarding;

/// <summary>
/// The last step before an engine: strip every credential and client-sent internal header, and sign the identity
/// for the engine the request was routed to (docs/design/internal-auth.md). Who may call and the limits are steps
/// of their own before it (see <see cref="GatewayHosting.UseGateway"/>).
/// </summary>
public static class EngineForwarding
{
    /// <summary>Transforms of every proxied request.</summary>
    public static void AddTransforms(TransformBuilderContext builder, RoutingTable table, TimeProvider time, ControlPlaneClient controlPlane)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (KeyOnControlPlane.IsKeyTenantRoute(builder.Route.RouteId) || builder.Route.RouteId == GatewayProxyConfig.TenantsRoute
            || builder.Route.RouteId.StartsWith(GatewayProxyConfig.TenantCollectionRoutes, StringComparison.Ordinal))
        {
            builder.AddRequestTransform(transform => KeyOnControlPlane.ForwardAsync(transform, controlPlane));
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
            builder.AddResponseTransform(EngineRefusal.MapAsync);
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
            // The route the request was sent to (TenantDestination), so the secret matches the engine even if the
            // table changed since; the table's own entry for transforms run outside the pipeline.
            var tenant = user.FindFirstValue(GatewayClaims.Tenant)!;
            var route = EngineRequest.Of(transform.HttpContext)?.Route ?? table.Find(tenant)
                ?? throw new InvalidOperationException("route vanished between selection and forwarding");
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
                InternalIdentityNonce.Next(),
                [.. user.FindAll(GatewayClaims.Collection).Select(c => c.Value)]);
            headers.Add(HeaderNames.Identity, InternalIdentitySigner.Sign(identity, route.SigningKey));
            headers.Remove(HeaderNames.RequestId);
            headers.Add(HeaderNames.RequestId, transform.HttpContext.TraceIdentifier);
            return ValueTask.CompletedTask;
        });
    }
}
