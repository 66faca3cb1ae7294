using Microsoft.Extensions.Primitives;
using Piramid.Gateway.Edge;
using Yarp.ReverseProxy.Configuration;

namespace Piramid.Gateway.Routing;

/// <summary>
/// YARP configuration from the routing table: one <c>engines</c> cluster with a destination per tenant
/// (destination id = tenant id; the pipeline narrows each request to its tenant's destination) and a
/// <c>control-plane</c> cluster. Published as immutable snapshots with a change token, so routes change
/// without a restart.
/// </summary>
public sealed class GatewayProxyConfig : IProxyConfigProvider
{
    /// <summary>Cluster of the tenants' engines.</summary>
    public const string EnginesCluster = "engines";

    /// <summary>Cluster of the control plane.</summary>
    public const string ControlPlaneCluster = "control-plane";

    /// <summary>Authorization policy of the data routes.</summary>
    public const string TenantPolicy = "tenant-key";

    /// <summary>
    /// Prefix of the ids of the control plane's routes whose tenant comes from the key (<c>/v1/api-keys</c>,
    /// <c>/v1/usage</c>, <c>/v1/audit</c>); see <see cref="Forwarding.KeyOnControlPlane"/>.
    /// </summary>
    public const string KeyTenantRoutes = "key-tenant-";

    /// <summary>
    /// Prefix of the ids of the data routes of a member, <c>/v1/tenants/{id}/collections/...</c>: the engines' routes
    /// with a person's token (see <see cref="Forwarding.MemberPaths"/>).
    /// </summary>
    public const string MemberDataRoutes = "member-collections";

    /// <summary>Authorization policy of the member data routes: a person who is a member of the tenant in the path.</summary>
    public const string MemberPolicy = "tenant-member";

    /// <summary>Routes of one tenant, <c>/v1/tenants/{id}/...</c>, served by the control plane.</summary>
    public const string TenantsRoute = "tenants";

    /// <summary>
    /// Prefix of the ids of the control plane's routes under a collection's member path (export, import): forwarded like
    /// <see cref="TenantsRoute"/>, not to the engine.
    /// </summary>
    public const string TenantCollectionRoutes = "tenant-collection-";

    /// <summary>Authorization policy of <c>/v1/me</c>: a person's access token (it carries <c>email</c>).</summary>
    public const string UserPolicy = "user-jwt";

    /// <summary>Authorization policy of the admin API: an operator's access token.</summary>
    public const string AdminPolicy = "platform-admin-jwt";

    /// <summary>
    /// Authorization policy of <c>/v1/tenants/{id}/...</c>: any valid access token or API key; the control plane
    /// decides who acts for which tenant (docs/design/tenant-access.md).
    /// </summary>
    public const string TenantPathPolicy = "tenant-path";

    private readonly RoutingTable _table;
    private readonly Uri _controlPlane;
    private volatile Snapshot _current;

    /// <summary>Creates the provider and subscribes to table changes.</summary>
    public GatewayProxyConfig(RoutingTable table, Microsoft.Extensions.Options.IOptions<GatewayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        _table = table;
        _controlPlane = options.Value.ControlPlaneUrl!;
        _current = Build();
        table.Changed += Publish;
    }

    /// <inheritdoc />
    public IProxyConfig GetConfig() => _current;

    private void Publish()
    {
        var old = _current;
        _current = Build();
        old.Signal();
    }

    private Snapshot Build()
    {
        var routes = new List<RouteConfig>
        {
            Route("collections", EnginesCluster, TenantPolicy, "/v1/collections", Read, JsonBodies.Json),
            Route("collections-all", EnginesCluster, TenantPolicy, "/v1/collections/{name}/{**rest}", Api, JsonBodies.Json),
            // A collection's export and import are the control plane's (operations on the backup store), under the
            // member data paths: more literal segments than the member routes below, so these win for every credential.
            Route(TenantCollectionRoutes + "export", ControlPlaneCluster, TenantPathPolicy, "/v1/tenants/{id}/collections/{name}/export", Post, JsonBodies.Json),
            Route(TenantCollectionRoutes + "exports", ControlPlaneCluster, TenantPathPolicy, "/v1/tenants/{id}/collections/{name}/exports/{export_id}", Read, JsonBodies.Json),
            Route(TenantCollectionRoutes + "import", ControlPlaneCluster, TenantPathPolicy, "/v1/tenants/{id}/collections/{name}/import", Post, JsonBodies.JsonOrNdjson),
            // More literal segments than the tenant route below: these win for collections. Every method of the API
            // (not only GET) so another one gets the data door's 405 with Allow instead of the control plane's 404.
            Route(MemberDataRoutes, EnginesCluster, MemberPolicy, "/v1/tenants/{id}/collections", Api, JsonBodies.Json),
            Route(MemberDataRoutes + "-all", EnginesCluster, MemberPolicy, "/v1/tenants/{id}/collections/{name}/{**rest}", Api, JsonBodies.Json),
            Route(KeyTenantRoutes + "api-keys", ControlPlaneCluster, TenantPolicy, "/v1/api-keys/{**rest}", Api, JsonBodies.Json),
            Route(KeyTenantRoutes + "api-keys-root", ControlPlaneCluster, TenantPolicy, "/v1/api-keys", Api, JsonBodies.Json),
            Route(KeyTenantRoutes + "usage", ControlPlaneCluster, TenantPolicy, "/v1/usage", Read, JsonBodies.Json),
            Route(KeyTenantRoutes + "audit", ControlPlaneCluster, TenantPolicy, "/v1/audit", Read, JsonBodies.Json),
            Route(KeyTenantRoutes + "metrics", ControlPlaneCluster, TenantPolicy, "/v1/metrics", Read, JsonBodies.Json),
            Route(KeyTenantRoutes + "audit-sink", ControlPlaneCluster, TenantPolicy, "/v1/audit/sink", Api, JsonBodies.Json),
            // A key's short form becomes /v1/tenants/{key's tenant}/operations/...; a member token's goes as it came and
            // the control plane finds the tenant from the operation.
            Route(KeyTenantRoutes + "operations", ControlPlaneCluster, TenantPathPolicy, "/v1/operations/{**rest}", Read, JsonBodies.Json),
            Route(KeyTenantRoutes + "backups", ControlPlaneCluster, TenantPathPolicy, "/v1/backups/{**rest}", Api, JsonBodies.Json),
            Route(KeyTenantRoutes + "backups-root", ControlPlaneCluster, TenantPathPolicy, "/v1/backups", Api, JsonBodies.Json),
            Route(TenantsRoute, ControlPlaneCluster, TenantPathPolicy, "/v1/tenants/{id}/{**rest}", Api, JsonBodies.JsonOrNdjson),
            Route("tenants-root", ControlPlaneCluster, AdminPolicy, "/v1/tenants", Api, JsonBodies.Json),
            Route("plans", ControlPlaneCluster, AdminPolicy, "/v1/plans/{**rest}", Api, JsonBodies.Json),
            Route("plans-root", ControlPlaneCluster, AdminPolicy, "/v1/plans", Api, JsonBodies.Json),
            Route("platform-metrics", ControlPlaneCluster, AdminPolicy, "/v1/platform/metrics", Read, JsonBodies.Json),
            // Sign-up has no credential (its own address budget, Limits/AddressLimits.cs); /v1/me needs a person's token.
            Route("signup", ControlPlaneCluster, null, "/v1/signup", Post, JsonBodies.Json),
            // Stripe's webhooks carry no credential: the control plane verifies their signature (Billing/StripeWebhooks.cs).
            Route("stripe-webhooks", ControlPlaneCluster, null, "/webhooks/stripe", Post, JsonBodies.Json),
            Route("me", ControlPlaneCluster, UserPolicy, "/v1/me/{**rest}", Api, JsonBodies.Json),
            Route("me-root", ControlPlaneCluster, UserPolicy, "/v1/me", Read, JsonBodies.Json),
            // Accepting an invitation: the signed-in invitee (docs/design/tenant-access.md).
            Route("invitations-accept", ControlPlaneCluster, UserPolicy, "/v1/invitations/accept", Post, JsonBodies.Json),
            // OAuth and the login form take form posts: no body type is imposed.
            // The issuer's pages keep the client's Host, so discovery and redirects name the gateway, not the control plane.
            Route("connect", ControlPlaneCluster, null, "/connect/{**rest}", Form, null) with { Transforms = KeepHost },
            Route("account", ControlPlaneCluster, null, "/account/{**rest}", Form, null) with { Transforms = KeepHost },
            Route("well-known", ControlPlaneCluster, null, "/.well-known/{**rest}", Read, null) with { Transforms = KeepHost },
        };
        var engines = _table.Routes.ToDictionary(
            r => r.TenantId,
            r => new DestinationConfig { Address = r.Endpoint.ToString() },
            StringComparer.Ordinal);
        var clusters = new List<ClusterConfig>
        {
            new() { ClusterId = EnginesCluster, Destinations = engines },
            new()
            {
                ClusterId = ControlPlaneCluster,
                Destinations = new Dictionary<string, DestinationConfig> { ["control-plane"] = new() { Address = _controlPlane.ToString() } },
            },
        };
        return new Snapshot(routes, clusters);
    }

    // The methods each route serves; any other is answered 405 with Allow by routing, never forwarded.
    private static readonly string[] Read = ["GET"];
    private static readonly string[] Form = ["GET", "POST"];
    private static readonly string[] Post = ["POST"];
    private static readonly IReadOnlyList<IReadOnlyDictionary<string, string>> KeepHost = [new Dictionary<string, string> { ["RequestHeaderOriginalHost"] = "true" }];
    private static readonly string[] Api = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    private static RouteConfig Route(string id, string cluster, string? policy, string path, string[] methods, string? bodies) => new()
    {
        RouteId = id,
        ClusterId = cluster,
        AuthorizationPolicy = policy,
        RateLimiterPolicy = cluster == EnginesCluster ? Limits.PlanRateLimiterPolicy.Name : null,
        Match = new RouteMatch { Path = path, Methods = methods },
        Metadata = bodies is null ? null : new Dictionary<string, string> { [JsonBodies.MetadataKey] = bodies },
    };

    // The token source lives as long as the snapshot: YARP may read ChangeToken after the signal, so it
    // must not be disposed; it holds no unmanaged resource once cancelled.
#pragma warning disable CA1001
    private sealed class Snapshot(IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters) : IProxyConfig
    {
        private readonly CancellationTokenSource _changed = new();

        public IReadOnlyList<RouteConfig> Routes { get; } = routes;

        public IReadOnlyList<ClusterConfig> Clusters { get; } = clusters;

        public IChangeToken ChangeToken => new CancellationChangeToken(_changed.Token);

        public void Signal() => _changed.Cancel();
    }
#pragma warning restore CA1001
}
