using System.ComponentModel.DataAnnotations;

namespace Piramid.Gateway;

/// <summary>Gateway settings, bound from <c>Gateway</c>.</summary>
public sealed class GatewayOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Gateway";

    /// <summary>Base URL of the control plane (its admin API, token endpoint and internal API).</summary>
    [Required]
    public Uri? ControlPlaneUrl { get; set; }

    /// <summary>The gateway's OAuth client id (role <c>gateway</c>).</summary>
    [Required]
    public string ClientId { get; set; } = string.Empty;

    /// <summary>The gateway's client secret.</summary>
    [Required]
    public string ClientSecret { get; set; } = string.Empty;

    /// <summary>How long a valid key's introspection is reused (the change feed evicts it sooner on revocation).</summary>
    public TimeSpan KeyCacheLifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Most valid keys remembered at once; beyond it the entries that could not even serve an outage go first, then
    /// arbitrary ones (an evicted key costs one more introspection, never a wrong answer).
    /// </summary>
    [Range(100, 10_000_000)]
    public int KeyCacheSize { get; set; } = 100_000;

    /// <summary>How long a member's role in a tenant is reused on the data API (the change feed drops it sooner).</summary>
    public TimeSpan MemberCacheLifetime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most memberships remembered at once; when full, expired entries go first, then arbitrary ones.</summary>
    [Range(100, 10_000_000)]
    public int MemberCacheSize { get; set; } = 10_000;

    /// <summary>How long an unknown key stays refused without asking the control plane again.</summary>
    public TimeSpan NegativeCacheLifetime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Most remembered invalid keys (a flood of random keys cannot grow memory without bound).</summary>
    [Range(100, 10_000_000)]
    public int NegativeCacheSize { get; set; } = 100_000;

    /// <summary>
    /// How long a key's last known good introspection keeps serving after it went stale, while the control plane
    /// cannot be reached; past it the key's requests get 503. The routing table keeps serving meanwhile.
    /// </summary>
    public TimeSpan ControlPlaneOutageGrace { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Longest wait for one key introspection; a control plane slower than this counts as away.</summary>
    public TimeSpan IntrospectionTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest clock skew tolerated on a token's lifetime.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>The <c>aud</c> the control plane's access tokens must carry (its <c>Identity:Audience</c>).</summary>
    [Required]
    public string JwtAudience { get; set; } = "piramid";

    /// <summary>Clock skew tolerated on token lifetimes; at most 30 s.</summary>
    public TimeSpan JwtClockSkew { get; set; } = MaxClockSkew;

    /// <summary>Default of <see cref="MaxRequestHeaderBytes"/>.</summary>
    public const int DefaultMaxRequestHeaderBytes = 32 * 1024;

    /// <summary>Largest total size of a request's headers; beyond it the gateway answers 431.</summary>
    [Range(4 * 1024, DefaultMaxRequestHeaderBytes)]
    public int MaxRequestHeaderBytes { get; set; } = DefaultMaxRequestHeaderBytes;

    /// <summary>
    /// Directory of the built portal (<c>portal/dist</c>, holding <c>index.html</c> and <c>assets/</c>), served at <c>/</c>;
    /// unset or empty: no portal. <c>./piramid up</c> sets it.
    /// </summary>
    public string? PortalDirectory { get; set; }

    /// <summary>Browser origins allowed by CORS (the portal's); empty allows none.</summary>
    public IReadOnlyList<string> CorsOrigins { get; set; } = [];

    /// <summary>Most requests of one tenant in flight at once when its plan sets no <c>max_requests_in_flight</c>; beyond it, 429.</summary>
    [Range(1, 100_000)]
    public int MaxConcurrentRequestsPerTenant { get; set; } = 64;

    /// <summary>
    /// How long a request past its tenant's in-flight limit waits for a slot before a 429 (at most as many wait
    /// as the limit); zero refuses at once.
    /// </summary>
    public TimeSpan InFlightQueueWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a request of a tenant whose engine is starting waits for its route before a 503.</summary>
    public TimeSpan EngineStartWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Most requests of one tenant waiting for its engine to start; beyond it, 503 at once.</summary>
    [Range(0, 100_000)]
    public int MaxWaitingRequestsPerTenant { get; set; } = 100;

    /// <summary>
    /// Slowest a client may read an answer, in bytes per second, once <see cref="SlowResponseGrace"/> has passed;
    /// a slower reader is disconnected, so it cannot hold an engine's answer in memory.
    /// </summary>
    [Range(1, 1_000_000_000)]
    public double MinResponseBytesPerSecond { get; set; } = 1024;

    /// <summary>Time a client may read slower than <see cref="MinResponseBytesPerSecond"/> before it is disconnected.</summary>
    public TimeSpan SlowResponseGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often the tenants that had a data request are reported to the control plane, which hibernates an engine
    /// idle for its plan's <c>hibernate_after_seconds</c>; keep it well below the shortest such period.
    /// </summary>
    public TimeSpan EngineActivityReportInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often counted usage and refused credentials are sent to the control plane.</summary>
    public TimeSpan UsageReportInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Most distinct (reason, client address, key id) counts of refused requests per report; the rest are counted as "others".</summary>
    [Range(1, 10_000)]
    public int AuthFailureEntriesPerReport { get; set; } = 1_000;

    /// <summary>Requests per second a client address may send without a valid credential (cache misses, refusals).</summary>
    [Range(1, 1_000_000)]
    public int UnauthenticatedRatePerSecond { get; set; } = 20;

    /// <summary>Burst of <see cref="UnauthenticatedRatePerSecond"/>.</summary>
    [Range(1, 1_000_000)]
    public int UnauthenticatedBurst { get; set; } = 100;

    /// <summary>Sign-in attempts (<c>POST /connect/token</c>, <c>POST /account/login</c>) per second per client address.</summary>
    [Range(1, 1_000_000)]
    public int SignInRatePerSecond { get; set; } = 5;

    /// <summary>Burst of <see cref="SignInRatePerSecond"/>.</summary>
    [Range(1, 1_000_000)]
    public int SignInBurst { get; set; } = 30;

    /// <summary>Sign-ups (<c>POST /v1/signup</c>) per hour per client address: each makes a tenant and an engine.</summary>
    [Range(1, 1_000_000)]
    public int SignUpPerHour { get; set; } = 20;

    /// <summary>Burst of <see cref="SignUpPerHour"/>.</summary>
    [Range(1, 1_000_000)]
    public int SignUpBurst { get; set; } = 5;

    /// <summary>Most client addresses with a bucket of their own per budget; beyond it, new addresses share one bucket.</summary>
    [Range(100, 10_000_000)]
    public int MaxTrackedAddresses { get; set; } = 100_000;
}
