using System.Collections.Frozen;
using Piramid.Contracts.Accounts;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Backups;
using Piramid.Contracts.Billing;
using Piramid.Contracts.Collections;
using Piramid.Contracts.Exports;
using Piramid.Contracts.Identity;
using Piramid.Contracts.Operations;
using Piramid.Contracts.Points;

namespace Piramid.Contracts.Routes;

/// <summary>
/// Every public route behind the gateway, written once: the gateway takes a call's role and billing kind from
/// here, the engine maps its endpoints and checks roles from here, and the route tests hold the engine, the
/// control plane and docs/openapi.json to it (docs/design/gateway.md, "The route table").
/// </summary>
public static class PublicRoutes
{
    private const string Collection = "/v1/collections/{name}";

    /// <summary>GET /v1/collections.</summary>
    public static PublicRoute CollectionsList { get; } = Data("collections.list", "GET", "/v1/collections", Roles.ReadOnly, scoped: false)
        .Describe("List the collections (a key limited to collections sees only those)").Returns<CollectionList>();

    /// <summary>PUT /v1/collections/{name}.</summary>
    public static PublicRoute CollectionsCreate { get; } = Data("collections.create", "PUT", Collection, Roles.Admin)
        .Describe("Create a collection (200 with the same settings when it exists, 409 with others)")
        .Takes<CreateCollectionRequest>().Returns<CollectionInfo>(201).Returns<CollectionInfo>();

    /// <summary>GET /v1/collections/{name}.</summary>
    public static PublicRoute CollectionsDescribe { get; } = Data("collections.describe", "GET", Collection, Roles.ReadOnly)
        .Describe("Describe a collection: settings, point count, sizes").Returns<CollectionInfo>();

    /// <summary>PATCH /v1/collections/{name}.</summary>
    public static PublicRoute CollectionsUpdate { get; } = Data("collections.update", "PATCH", Collection, Roles.Admin)
        .Describe("Change the settings that need no rebuild (index.ef); a setting that would need one is a 400 naming it")
        .Takes<CollectionUpdateRequest>().Returns<CollectionInfo>();

    /// <summary>DELETE /v1/collections/{name}.</summary>
    public static PublicRoute CollectionsDelete { get; } = Data("collections.delete", "DELETE", Collection, Roles.Admin)
        .Describe("Delete a collection and its files").ReturnsNothing();

    /// <summary>POST /v1/collections/{name}/points.</summary>
    public static PublicRoute PointsUpsert { get; } = Data("points.upsert", "POST", Collection + "/points", Roles.ReadWrite)
        .Describe("Upsert points, all or nothing; answers once the write is durable")
        .Takes<UpsertPointsRequest>().Returns<WriteResult>().AcceptsIdempotencyKey();

    /// <summary>GET /v1/collections/{name}/points/{id}.</summary>
    public static PublicRoute PointsGet { get; } = Data("points.get", "GET", Collection + "/points/{id}", Roles.ReadOnly)
        .Describe("Get a point").Returns<PointOutput>()
        .WithQuery<bool>("include_vector", "Return the vector (default false).")
        .WithQuery<bool>("include_metadata", "Return the metadata (default true).");

    /// <summary>POST /v1/collections/{name}/points/get.</summary>
    public static PublicRoute PointsGetMany { get; } = Data("points.get_many", "POST", Collection + "/points/get", Roles.ReadOnly)
        .Describe("Get points by id (missing ids are left out)").Takes<GetPointsRequest>().Returns<PointsPage>();

    /// <summary>PATCH /v1/collections/{name}/points/{id}.</summary>
    public static PublicRoute PointsUpdate { get; } = Data("points.update", "PATCH", Collection + "/points/{id}", Roles.ReadWrite)
        .Describe("Update a point: merge its metadata and/or replace its vector")
        .Takes<UpdatePointRequest>().Returns<WriteResult>().AcceptsIdempotencyKey();

    /// <summary>POST /v1/collections/{name}/points/delete.</summary>
    public static PublicRoute PointsDelete { get; } = Data("points.delete", "POST", Collection + "/points/delete", Roles.ReadWrite)
        .Describe("Delete points by ids, by a filter, or all of them")
        .Takes<DeletePointsRequest>().Returns<WriteResult>().AcceptsIdempotencyKey();

    /// <summary>POST /v1/collections/{name}/search.</summary>
    public static PublicRoute Search { get; } = Data("points.search", "POST", Collection + "/search", Roles.ReadOnly)
        .Describe("Search by vector (scores are higher-is-better for every metric)").Takes<SearchRequest>().Returns<SearchResponse>();

    /// <summary>POST /v1/collections/{name}/search/batch.</summary>
    public static PublicRoute SearchBatch { get; } = Data("points.search_batch", "POST", Collection + "/search/batch", Roles.ReadOnly)
        .Describe("Several searches in one request").Takes<SearchBatchRequest>().Returns<SearchBatchResponse>();

    /// <summary>POST /v1/collections/{name}/search/groups.</summary>
    public static PublicRoute SearchGroups { get; } = Data("points.search_groups", "POST", Collection + "/search/groups", Roles.ReadOnly)
        .Describe("Search grouped by a metadata field").Takes<SearchGroupsRequest>().Returns<SearchGroupsResponse>();

    /// <summary>POST /v1/collections/{name}/recommend.</summary>
    public static PublicRoute Recommend { get; } = Data("points.recommend", "POST", Collection + "/recommend", Roles.ReadOnly)
        .Describe("Points like the positive examples and unlike the negative ones").Takes<RecommendRequest>().Returns<SearchResponse>();

    /// <summary>POST /v1/collections/{name}/scroll.</summary>
    public static PublicRoute Scroll { get; } = Data("points.scroll", "POST", Collection + "/scroll", Roles.ReadOnly)
        .Describe("Page through points in id order").Takes<ScrollRequest>(optional: true).Returns<PointsPage>();

    /// <summary>POST /v1/collections/{name}/count.</summary>
    public static PublicRoute Count { get; } = Data("points.count", "POST", Collection + "/count", Roles.ReadOnly)
        .Describe("Count points, optionally those matching a filter").Takes<CountRequest>(optional: true).Returns<CountResult>();

    /// <summary>
    /// The control plane's public routes. <c>/v1/api-keys</c>, <c>/v1/usage</c> and <c>/v1/audit</c> are a tenant
    /// admin key's own tenant (the gateway forwards them to <c>/v1/tenants/{key's tenant}/...</c>); the routes under
    /// <c>/v1/tenants/{id}/</c> with a tenant role are open to that tenant itself as well as to operators
    /// (docs/design/tenant-access.md); the rest is the operators' admin API and the token endpoint.
    /// </summary>
    public static IReadOnlyList<PublicRoute> ControlPlane { get; } =
    [
        Admin("api-keys.create", "POST", "/v1/api-keys", Roles.Admin)
            .Describe("Create a key of the caller's own tenant (the secret is returned once, as key)")
            .Takes<ApiKeyCreateRequest>().Returns<ApiKeyInfo>(201).AcceptsIdempotencyKey(),
        Admin("api-keys.list", "GET", "/v1/api-keys", Roles.Admin)
            .Describe("List the caller's tenant's keys (never secrets)").Returns<ApiKeyList>(),
        Admin("api-keys.update", "PATCH", "/v1/api-keys/{key_id}", Roles.Admin)
            .Describe("Change one of the caller's tenant's keys in place: name, collection scope, expiry (not its role)")
            .Takes<ApiKeyUpdateRequest>().Returns<ApiKeyInfo>().AcceptsIdempotencyKey(),
        Admin("api-keys.revoke", "DELETE", "/v1/api-keys/{key_id}", Roles.Admin)
            .Describe("Revoke one of the caller's tenant's keys").ReturnsNothing().AcceptsIdempotencyKey(),
        Admin("api-keys.rotate", "POST", "/v1/api-keys/{key_id}/rotate", Roles.Admin)
            .Describe("Rotate one of the caller's tenant's keys: a new secret, the old one kept for a grace period")
            .Takes<ApiKeyRotateRequest>(optional: true).Returns<ApiKeyInfo>().AcceptsIdempotencyKey(),
        Admin("usage.get", "GET", "/v1/usage", Roles.Admin)
            .Describe("Usage of the caller's own tenant: read and write units per UTC day, totals, monthly quotas").Returns<TenantUsage>()
            .WithQuery<DateOnly>("from", "First UTC day (default: 30 days ago).")
            .WithQuery<DateOnly>("to", "Last UTC day (default: today)."),
        Admin("audit.list", "GET", "/v1/audit", Roles.Admin)
            .Describe("Audit events of the caller's own tenant (control plane and engine merged in time order); Accept: application/x-ndjson streams every event in range, then its signed anchors")
            .Returns<AuditEventList>().Returns<AuditEventInfo>(200, "application/x-ndjson")
            .WithQuery<DateTimeOffset>("from", "Events at or after this time.")
            .WithQuery<DateTimeOffset>("to", "Events before this time.")
            .WithQuery<string>("source", "Only 'control' (control-plane events) or 'data' (the engine's hash-chained entries).")
            .WithQuery<string>("actor", "Only events of this actor (exact).")
            .WithQuery<string>("action", "Only events of this action (exact), e.g. points.upsert.")
            .WithQuery<string>("cursor", "The next_cursor of the previous page (opaque).")
            .WithQuery<int>("limit", "Page size."),
        Admin("metrics.get", "GET", "/v1/metrics", Roles.Admin)
            .Describe("Request rate, 4xx and 5xx errors, latency p50/p99 and storage of the caller's own tenant, one point per step of the window")
            .Returns<Metrics.MetricsSummary>()
            .WithQuery<string>("window", "1h (steps of 1 minute, the default), 24h (15 minutes) or 7d (1 hour)."),
        Admin("audit.sink.put", "PUT", "/v1/audit/sink", Roles.Admin)
            .Describe("Configure the caller's tenant's audit sink (S3 or syslog); the secret is write-only")
            .Takes<AuditSinkRequest>().Returns<AuditSinkInfo>(),
        Admin("audit.sink.get", "GET", "/v1/audit/sink", Roles.Admin)
            .Describe("The caller's tenant's audit sink and its delivery state: last delivered seq and time, backlog, last error")
            .Returns<AuditSinkInfo>(),
        Admin("audit.sink.delete", "DELETE", "/v1/audit/sink", Roles.Admin)
            .Describe("Stop the continuous export of the caller's tenant's audit trail").ReturnsNothing(),
        Admin("tenants.create", "POST", "/v1/tenants", Roles.PlatformAdmin)
            .Describe("Create a tenant (starts its engine)").Takes<TenantCreateRequest>().Returns<TenantInfo>(201).AcceptsIdempotencyKey(),
        Admin("tenants.list", "GET", "/v1/tenants", Roles.PlatformAdmin)
            .Describe("List tenants").Returns<TenantList>(),
        Admin("tenants.get", "GET", "/v1/tenants/{id}", Roles.ReadOnly)
            .Describe("Get a tenant").Returns<TenantInfo>(),
        Admin("tenants.update", "PATCH", "/v1/tenants/{id}", Roles.PlatformAdmin)
            .Describe("Rename a tenant or change its plan").Takes<TenantUpdateRequest>().Returns<TenantInfo>().AcceptsIdempotencyKey(),
        Admin("tenants.delete", "DELETE", "/v1/tenants/{id}", Roles.PlatformAdmin)
            .Describe("Delete a tenant (its data is purged after the retention period)").Returns<TenantInfo>().AcceptsIdempotencyKey(),
        Admin("tenants.suspend", "POST", "/v1/tenants/{id}/suspend", Roles.PlatformAdmin)
            .Describe("Suspend a tenant: its requests are refused, its data kept").Returns<TenantInfo>().AcceptsIdempotencyKey(),
        Admin("tenants.resume", "POST", "/v1/tenants/{id}/resume", Roles.PlatformAdmin)
            .Describe("Resume a suspended tenant").Returns<TenantInfo>().AcceptsIdempotencyKey(),
        Admin("tenants.api-keys.create", "POST", "/v1/tenants/{id}/api-keys", Roles.Admin)
            .Describe("Create an API key (the secret is returned once, as key)").Takes<ApiKeyCreateRequest>().Returns<ApiKeyInfo>(201).AcceptsIdempotencyKey(),
        Admin("tenants.api-keys.list", "GET", "/v1/tenants/{id}/api-keys", Roles.Admin)
            .Describe("List a tenant's API keys (never secrets)").Returns<ApiKeyList>(),
        Admin("tenants.api-keys.update", "PATCH", "/v1/tenants/{id}/api-keys/{key_id}", Roles.Admin)
            .Describe("Change an API key in place: name, collection scope, expiry (not its role); the old scope stops within about a second")
            .Takes<ApiKeyUpdateRequest>().Returns<ApiKeyInfo>().AcceptsIdempotencyKey(),
        Admin("tenants.api-keys.revoke", "DELETE", "/v1/tenants/{id}/api-keys/{key_id}", Roles.Admin)
            .Describe("Revoke an API key").ReturnsNothing().AcceptsIdempotencyKey(),
        Admin("tenants.api-keys.rotate", "POST", "/v1/tenants/{id}/api-keys/{key_id}/rotate", Roles.Admin)
            .Describe("Rotate an API key: a new secret, the old one kept for a grace period")
            .Takes<ApiKeyRotateRequest>(optional: true).Returns<ApiKeyInfo>().AcceptsIdempotencyKey(),
        Admin("tenants.members.list", "GET", "/v1/tenants/{id}/members", Roles.ReadOnly)
            .Describe("List a tenant's members and their roles").Returns<MemberList>(),
        Admin("tenants.members.update", "PATCH", "/v1/tenants/{id}/members/{user_id}", Roles.Admin)
            .Describe("Change a member's role (only an owner makes or unmakes an owner; a tenant keeps at least one owner)")
            .Takes<MemberUpdateRequest>().Returns<MemberInfo>(),
        Admin("tenants.members.remove", "DELETE", "/v1/tenants/{id}/members/{user_id}", Roles.ReadOnly)
            .Describe("Remove a member (owners and admins), or leave (a member removing themself)").ReturnsNothing(),
        Admin("tenants.invitations.create", "POST", "/v1/tenants/{id}/invitations", Roles.Admin)
            .Describe("Invite someone: the invite_url is shown once, valid 7 days, single use")
            .Takes<InvitationCreateRequest>().Returns<InvitationCreated>(201),
        Admin("invitations.accept", "POST", "/v1/invitations/accept", null)
            .Describe("Accept an invitation as the signed-in user").Takes<InvitationAcceptRequest>().Returns<MembershipInfo>(),
        Admin("tenants.usage", "GET", "/v1/tenants/{id}/usage", Roles.Admin)
            .Describe("Usage: read and write units per UTC day, totals, monthly quotas").Returns<TenantUsage>()
            .WithQuery<DateOnly>("from", "First UTC day (default: 30 days ago).")
            .WithQuery<DateOnly>("to", "Last UTC day (default: today)."),
        Admin("tenants.metrics", "GET", "/v1/tenants/{id}/metrics", Roles.Admin)
            .Describe("A tenant's request rate, 4xx and 5xx errors, latency p50/p99 (from the gateway's histogram) and storage, one point per step of the window")
            .Returns<Metrics.MetricsSummary>()
            .WithQuery<string>("window", "1h (steps of 1 minute, the default), 24h (15 minutes) or 7d (1 hour)."),
        Admin("platform.metrics", "GET", "/v1/platform/metrics", Roles.PlatformAdmin)
            .Describe("The same figures over every tenant, plus the number of engines and their memory")
            .Returns<Metrics.MetricsSummary>()
            .WithQuery<string>("window", "1h (steps of 1 minute, the default), 24h (15 minutes) or 7d (1 hour)."),
        Admin("tenants.billing", "GET", "/v1/tenants/{id}/billing", Roles.Admin)
            .Describe("Billing: plan, payment status, this month's usage and estimated amount, and Stripe's invoices").Returns<TenantBilling>(),
        Admin("tenants.billing.checkout", "POST", "/v1/tenants/{id}/billing/checkout", Roles.Admin)
            .Describe("A Stripe Checkout session (setup mode) to add a payment method; 404 without Stripe").Returns<BillingSession>(),
        Admin("tenants.billing.portal", "POST", "/v1/tenants/{id}/billing/portal", Roles.Admin)
            .Describe("A Stripe Customer Portal session; 404 without Stripe").Returns<BillingSession>(),
        Admin("webhooks.stripe", "POST", "/webhooks/stripe", null)
            .Describe("Stripe webhook events, verified by their Stripe-Signature; no credential").Returns<WebhookOutcome>(),
        Admin("tenants.audit", "GET", "/v1/tenants/{id}/audit", Roles.Admin)
            .Describe("Audit events of a tenant (control plane and engine merged in time order); Accept: application/x-ndjson streams every event in range, then its signed anchors")
            .Returns<AuditEventList>().Returns<AuditEventInfo>(200, "application/x-ndjson")
            .WithQuery<DateTimeOffset>("from", "Events at or after this time.")
            .WithQuery<DateTimeOffset>("to", "Events before this time.")
            .WithQuery<string>("source", "Only 'control' (control-plane events) or 'data' (the engine's hash-chained entries).")
            .WithQuery<string>("actor", "Only events of this actor (exact).")
            .WithQuery<string>("action", "Only events of this action (exact), e.g. points.upsert.")
            .WithQuery<string>("cursor", "The next_cursor of the previous page (opaque).")
            .WithQuery<int>("limit", "Page size."),
        Admin("tenants.audit.sink.put", "PUT", "/v1/tenants/{id}/audit/sink", Roles.Admin)
            .Describe("Configure a tenant's audit sink (S3: hourly gzip NDJSON objects; syslog: RFC 5424 over TCP); the secret is write-only")
            .Takes<AuditSinkRequest>().Returns<AuditSinkInfo>(),
        Admin("tenants.audit.sink.get", "GET", "/v1/tenants/{id}/audit/sink", Roles.Admin)
            .Describe("A tenant's audit sink and its delivery state: last delivered seq and time, backlog, last error")
            .Returns<AuditSinkInfo>(),
        Admin("tenants.audit.sink.delete", "DELETE", "/v1/tenants/{id}/audit/sink", Roles.Admin)
            .Describe("Stop a tenant's continuous audit export").ReturnsNothing(),
        // Operations (docs/design/backups.md): the short form finds the tenant from the operation itself.
        Admin("tenants.operations.get", "GET", "/v1/tenants/{id}/operations/{op_id}", Roles.ReadOnly)
            .Describe("A long-running operation (backup, restore, export, import): state, progress, error or result").Returns<OperationInfo>(),
        Admin("operations.get", "GET", "/v1/operations/{op_id}", Roles.ReadOnly)
            .Describe("An operation of the caller's tenant (a tenant API key or a member token)").Returns<OperationInfo>(),
        // Exports and imports (docs/design/export-format.md): served by the control plane, not the engine, on a member's
        // collection paths; export needs read, import write.
        Admin("tenants.collections.export", "POST", "/v1/tenants/{id}/collections/{name}/export", Roles.ReadOnly)
            .Describe("Export a collection at one point in time as gzip NDJSON and a manifest: 202 with an export operation")
            .Takes<ExportRequest>(optional: true).Returns<OperationInfo>(202),
        Admin("tenants.collections.exports.get", "GET", "/v1/tenants/{id}/collections/{name}/exports/{export_id}", Roles.ReadOnly)
            .Describe("Download a finished export: points.ndjson.gz (application/gzip), or its manifest (JSON) with ?part=manifest")
            .Returns<ExportManifest>()
            .WithQuery<string>("part", "points (default) or manifest."),
        Admin("tenants.collections.import", "POST", "/v1/tenants/{id}/collections/{name}/import", Roles.ReadWrite)
            .Describe("Import points: {\"export_id\"} (creates the collection from the manifest when missing), or an application/x-ndjson body (gzip with Content-Encoding: gzip) into an existing collection: 202 with an import operation")
            .Takes<ImportRequest>().Returns<OperationInfo>(202),
        // Backups (docs/design/backups.md): 202 with an operation; the short forms take the tenant from the key, the
        // token's only membership, or the backup itself.
        Admin("tenants.backups.create", "POST", "/v1/tenants/{id}/backups", Roles.Admin)
            .Describe("Back up the tenant (or some collections) online: 202 with the operation that makes the backup")
            .Takes<BackupCreateRequest>(optional: true).Returns<OperationInfo>(202).AcceptsIdempotencyKey(),
        Admin("tenants.backups.list", "GET", "/v1/tenants/{id}/backups", Roles.ReadOnly)
            .Describe("List a tenant's backups, newest first").Returns<BackupList>(),
        Admin("tenants.backups.get", "GET", "/v1/tenants/{id}/backups/{backup_id}", Roles.ReadOnly)
            .Describe("Describe a backup: state, LSN, size, SHA-256 of its manifest, collections").Returns<BackupInfo>(),
        Admin("tenants.backups.delete", "DELETE", "/v1/tenants/{id}/backups/{backup_id}", Roles.Admin)
            .Describe("Delete a backup and its stored objects").ReturnsNothing().AcceptsIdempotencyKey(),
        Admin("tenants.restore", "POST", "/v1/tenants/{id}/restore", Roles.Admin)
            .Describe("Restore a backup, or a point in time inside the plan's recovery window, in place or beside the live data: 202 with the operation")
            .Takes<RestoreRequest>().Returns<OperationInfo>(202).AcceptsIdempotencyKey(),
        Admin("backups.create", "POST", "/v1/backups", Roles.Admin)
            .Describe("Back up the caller's own tenant: 202 with the operation")
            .Takes<BackupCreateRequest>(optional: true).Returns<OperationInfo>(202).AcceptsIdempotencyKey(),
        Admin("backups.list", "GET", "/v1/backups", Roles.ReadOnly)
            .Describe("List the caller's own tenant's backups, newest first").Returns<BackupList>(),
        Admin("backups.get", "GET", "/v1/backups/{backup_id}", Roles.ReadOnly)
            .Describe("Describe one of the caller's tenant's backups").Returns<BackupInfo>(),
        Admin("backups.delete", "DELETE", "/v1/backups/{backup_id}", Roles.Admin)
            .Describe("Delete one of the caller's tenant's backups and its stored objects").ReturnsNothing().AcceptsIdempotencyKey(),
        Admin("plans.list", "GET", "/v1/plans", Roles.PlatformAdmin)
            .Describe("List plans").Returns<PlanList>(),
        Admin("plans.put", "PUT", "/v1/plans/{id}", Roles.PlatformAdmin)
            .Describe("Create or update a plan (rate limits and quotas apply at once)").Takes<PlanInfo>().Returns<PlanInfo>().AcceptsIdempotencyKey(),
        Admin("connect.token", "POST", "/connect/token", null)
            .Describe("OAuth 2.0 token endpoint: client credentials, authorization code + PKCE, refresh token")
            .Takes<TokenRequest>(mediaType: "application/x-www-form-urlencoded").Returns<TokenResponse>(),
        // People: sign-up has no credential; /v1/me takes a person's token (any user, no role).
        Admin("accounts.signup", "POST", "/v1/signup", null)
            .Describe("Sign up: a user and a tenant on the free plan, the user its owner (rate-limited per client address)")
            .Takes<SignUpRequest>().Returns<SignUpResponse>(201),
        Admin("me.get", "GET", "/v1/me", null)
            .Describe("The signed-in user, their memberships and whether they are an operator").Returns<MeInfo>(),
        Admin("me.password", "POST", "/v1/me/password", null)
            .Describe("Change the signed-in user's password (revokes every token of the user)")
            .Takes<PasswordChangeRequest>().ReturnsNothing(),
        Admin("me.totp", "POST", "/v1/me/totp", null)
            .Describe("Begin TOTP enrolment: a secret and its otpauth URI, confirmed with a code").Returns<TotpEnrolment>(),
        Admin("me.totp.confirm", "POST", "/v1/me/totp/confirm", null)
            .Describe("Confirm TOTP enrolment with a code; answers the single-use recovery codes once")
            .Takes<TotpConfirmRequest>().Returns<TotpConfirmation>(),
    ];

    /// <summary>The data API: the engine's routes, exposed by the gateway as they are.</summary>
    public static IReadOnlyList<PublicRoute> Engine { get; } =
    [
        CollectionsList, CollectionsCreate, CollectionsDescribe, CollectionsUpdate, CollectionsDelete,
        PointsUpsert, PointsGet, PointsGetMany, PointsUpdate, PointsDelete,
        Search, SearchBatch, SearchGroups, Recommend, Scroll, Count,
    ];

    /// <summary>Every public route.</summary>
    public static IReadOnlyList<PublicRoute> All { get; } = [.. Engine, .. ControlPlane];

    // Per method, in precedence order: where two templates fit one path (a literal segment and a parameter), the
    // literal wins, as in routing. Kestrel hands the method as an interned constant, so the lookup is a hash of it.
    private static readonly FrozenDictionary<string, PublicRoute[]> ByMethod = All
        .GroupBy(r => r.Method, StringComparer.OrdinalIgnoreCase)
        .ToFrozenDictionary(g => g.Key, g => g.Order(Comparer<PublicRoute>.Create((a, b) => a.ComparePrecedence(b))).ToArray(), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The route <paramref name="method"/> and <paramref name="path"/> (no query string) call, or null. The path
    /// is matched segment by segment as received (an escaped <c>%2F</c> stays inside its segment); nothing is
    /// allocated. Only the method's routes with as many segments as the path are walked.
    /// </summary>
    public static PublicRoute? Match(string method, ReadOnlySpan<char> path)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (!ByMethod.TryGetValue(method, out var routes))
        {
            return null;
        }

        var segments = PublicRoute.CountSegments(path);
        foreach (var route in routes)
        {
            if (route.SegmentCount == segments && route.Matches(path))
            {
                return route;
            }
        }

        return null;
    }

    private static PublicRoute Data(string name, string method, string template, string role, bool scoped = true) =>
        new(name, method, template, role, role == Roles.ReadOnly ? UnitKind.Read : UnitKind.Write, scoped, RouteService.Engine);

    private static PublicRoute Admin(string name, string method, string template, string? role) =>
        new(name, method, template, role, method == "GET" ? UnitKind.Read : UnitKind.Write, template.Contains("{name}", StringComparison.Ordinal), RouteService.ControlPlane);
}
