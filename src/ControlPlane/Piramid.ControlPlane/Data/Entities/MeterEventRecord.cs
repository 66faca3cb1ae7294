namespace Piramid.ControlPlane.Data.Entities;

/// <summary>
/// One Stripe meter event, written before it is sent. Its identifier comes from the usage it carries (tenant, day,
/// meter and the day's running total), so a resend after a crash or a timeout carries the same identifier and
/// Stripe counts it once.
/// </summary>
public sealed class MeterEventRecord
{
    /// <summary>The meter event's identifier.</summary>
    public required string Identifier { get; set; }

    /// <summary>Tenant id.</summary>
    public required string TenantId { get; set; }

    /// <summary>UTC day of the usage.</summary>
    public DateOnly Day { get; set; }

    /// <summary>Meter: <c>read_units</c>, <c>write_units</c> or <c>storage_mb_hours</c>.</summary>
    public required string Meter { get; set; }

    /// <summary>Value of this event (what the day's total grew by since the previous event).</summary>
    public long Value { get; set; }

    /// <summary>The day's total of the meter after this event.</summary>
    public long Total { get; set; }

    /// <summary>When it was written.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When Stripe acknowledged it (or it was given up as unconfirmed); null while it is still to send.</summary>
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>
    /// When it was first sent without a known outcome (saved before the request): a resend is counted once by Stripe
    /// only within <c>Billing:MeterDedupWindow</c> of this time.
    /// </summary>
    public DateTimeOffset? FirstSentAt { get; set; }

    /// <summary>
    /// True when its answer was lost and the dedup window ran out before a resend: Stripe may or may not have it, and
    /// it is not sent again (a second count would overcharge). The operator checks it against Stripe's meter summaries.
    /// </summary>
    public bool Unconfirmed { get; set; }
}
