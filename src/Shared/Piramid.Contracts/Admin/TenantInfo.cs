using System.ComponentModel.DataAnnotations;
namespace Piramid.Contracts.Admin;

/// <summary>A tenant as the admin API returns it.</summary>
public sealed class TenantInfo
{
    /// <summary>Id.</summary>
    public required string Id { get; set; }

    /// <summary>Name.</summary>
    public required string Name { get; set; }

    /// <summary>Plan id.</summary>
    public required string Plan { get; set; }

    /// <summary><c>active</c>, <c>suspended</c> or <c>deleted</c>.</summary>
    [AllowedValues("active", "suspended", "deleted")]
    public required string Status { get; set; }

    /// <summary>The engine's state (<c>running</c>, <c>hibernating</c>, <c>waking</c>, <c>stopped</c>, ...), when it has one.</summary>
    public string? EngineState { get; set; }

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Last change.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When its data will be purged (deleted tenants).</summary>
    public DateTimeOffset? PurgeAfter { get; set; }

    /// <summary>
    /// Payment status (<c>none</c>, <c>active</c>, <c>past_due</c> or <c>canceled</c>); given by <c>GET /v1/tenants</c>
    /// (operators see each tenant's), null in other answers.
    /// </summary>
    public string? PaymentStatus { get; set; }

    /// <summary>When a past-due tenant's writes start answering 402 (its grace end); given with <c>payment_status</c>.</summary>
    public DateTimeOffset? WritesRefusedFrom { get; set; }

    /// <summary>Its plan's limits; given by <c>GET /v1/tenants/{id}</c> (so members see their quotas), null in other answers.</summary>
    public TenantLimits? Limits { get; set; }
}
