namespace Piramid.ControlPlane.Auditing;

/// <summary>
/// How long the control plane keeps what would otherwise only grow, bound from <c>Retention</c> and enforced
/// by <see cref="RetentionService"/> (docs/API.md, "Retention").
/// </summary>
public sealed class RetentionOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Retention";

    /// <summary>Time between two sweeps.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long an <c>Idempotency-Key</c> reply is replayed; after it the key is forgotten and may be reused.
    /// A day covers any client's retry window (Stripe keeps keys for 24 hours too).
    /// </summary>
    public TimeSpan IdempotencyTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long audit events of no tenant are kept (operators' changes of plans, platform events, failures that
    /// named no tenant, events of a purged tenant). A tenant's events follow its plan's <c>audit_retention_days</c>.
    /// </summary>
    public TimeSpan AuditRetention { get; set; } = TimeSpan.FromDays(365);

    /// <summary>
    /// How long past its plan's retention a tenant's event waits for its audit sink. Past that it is deleted even
    /// undelivered (a sink pointed at an unreachable host must not keep the trail forever), and an
    /// <c>audit_sink.gap</c> event names the positions lost.
    /// </summary>
    public TimeSpan SinkGrace { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// OpenIddict tokens and authorizations created longer ago than this, and no longer valid, are deleted.
    /// Fourteen days outlives every token lifetime we issue (access 15 min, refresh 14 days by default).
    /// </summary>
    public TimeSpan TokenRetention { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Window over which stored auth failures are counted (one UTC hour by default).</summary>
    public TimeSpan AuthFailurePeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Most <c>auth.failed</c> rows kept per tenant (and for failures of no tenant) per period; the rest become
    /// one <c>auth.failed.aggregated</c> row with their count, so a flood cannot fill the table.
    /// </summary>
    public int AuthFailuresPerPeriod { get; set; } = 100;
}
