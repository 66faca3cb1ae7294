namespace Piramid.ControlPlane.Orchestration;

/// <summary>
/// Configuration of <see cref="LocalProcessOrchestrator"/>, bound from the <c>Orchestrator</c> section
/// (environment <c>Orchestrator__StateDirectory</c> etc.). Checked at start; errors name the key.
/// </summary>
public sealed class LocalOrchestratorOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Orchestrator";

    /// <summary>
    /// Root of the engines' state: <c>tenants/&lt;tenantId&gt;/data</c> (data directories),
    /// <c>secrets/</c> (owner-only engine secret files) and <c>logs/</c> (engine output).
    /// </summary>
    public string StateDirectory { get; set; } = string.Empty;

    /// <summary>The engine executable (Native AOT build), or <c>Piramid.DataPlane.dll</c> to run it with <c>dotnet</c>.</summary>
    public string EngineBinary { get; set; } = string.Empty;

    /// <summary>File holding the platform key (base64 of 32 bytes); it wraps data keys and engine secrets.</summary>
    public string PlatformKeyFile { get; set; } = string.Empty;

    /// <summary>Time between two supervision rounds (liveness and <c>/health/ready</c> of every engine).</summary>
    public TimeSpan HealthInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Consecutive failed health checks of a running engine before it is killed and restarted.</summary>
    public int HealthFailureThreshold { get; set; } = 3;

    /// <summary>Delay before the first restart after a crash; it doubles after every further crash.</summary>
    public TimeSpan RestartBackoffInitial { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest delay between two restarts.</summary>
    public TimeSpan RestartBackoffMax { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An engine healthy this long gets its backoff and restart count reset.</summary>
    public TimeSpan HealthyResetAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// OTLP endpoint the engines export traces to (their <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>); defaults to the control
    /// plane's own <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>. Unset: engines export nothing.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>The engines' <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> (grpc or http/protobuf); defaults to the control plane's own.</summary>
    public string? OtlpProtocol { get; set; }

    /// <summary>How long a starting engine may take to answer <c>/health/ready</c>.</summary>
    public TimeSpan ReadyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a stopping engine may take to drain and checkpoint after SIGTERM before SIGKILL.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long a hibernating engine keeps serving after its route is withdrawn, before SIGTERM: the gateways learn
    /// of the withdrawal through the change feed (≈ 0.1–0.3 s), and a request they still send to the old route is
    /// answered instead of refused. A wake within the grace keeps the engine. Zero: SIGTERM at once.
    /// </summary>
    public TimeSpan HibernationGrace { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The shortest <c>hibernate_after_seconds</c> a plan may set (60 s). Keep it at least 6 × the gateway's
    /// <c>EngineActivityReportInterval</c> (5 s) plus <see cref="HibernationGrace"/>: a shorter idle period stops busy
    /// engines between two reports, and they flap.
    /// </summary>
    public TimeSpan MinHibernateAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Per-tenant OS users: <c>Auto</c> (when root), <c>On</c> (required) or <c>Off</c>.</summary>
    public EngineUserMode EngineUsers { get; set; } = EngineUserMode.Auto;

    /// <summary>First uid (and gid, the same number) of the range engines run as, one per tenant.</summary>
    public int EngineUidStart { get; set; } = 2_000_000;

    /// <summary>Number of uids in the range: at most this many tenants with an engine.</summary>
    public int EngineUidCount { get; set; } = 1_000_000;

    /// <summary>True when engines run under per-tenant uids with these options in this process.</summary>
    public bool UsesEngineUsers => EngineUsers == EngineUserMode.On || (EngineUsers == EngineUserMode.Auto && EngineAccounts.RunningAsRoot);

    /// <summary>Durability policy given to every engine: <c>always</c>, <c>batch[:window]</c>, <c>interval[:period]</c> or <c>none</c>.</summary>
    public string Durability { get; set; } = "batch";
}
