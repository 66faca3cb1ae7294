namespace Piramid.ControlPlane.Data.Entities;

/// <summary>A tenant's side of billing: its Stripe customer and subscription, and its payment status.</summary>
public sealed class BillingAccount
{
    /// <summary>Tenant id.</summary>
    public required string TenantId { get; set; }

    /// <summary>Stripe customer id (<c>cus_...</c>), once created.</summary>
    public string? CustomerId { get; set; }

    /// <summary>Stripe subscription id (<c>sub_...</c>), once created.</summary>
    public string? SubscriptionId { get; set; }

    /// <summary>The plan the subscription's price belongs to (a plan change updates the subscription).</summary>
    public string? SubscribedPlanId { get; set; }

    /// <summary><c>none</c>, <c>active</c>, <c>past_due</c> or <c>canceled</c> (<see cref="Billing.PaymentStatuses"/>).</summary>
    public string PaymentStatus { get; set; } = "none";

    /// <summary>Time of the Stripe event that set the status: an older event delivered later changes nothing.</summary>
    public DateTimeOffset? StatusChangedAt { get; set; }

    /// <summary>The subscription ends at the end of its period (Stripe's <c>cancel_at_period_end</c>).</summary>
    public bool CancelAtPeriodEnd { get; set; }

    /// <summary>When the payment became past due; writes are refused once the plan's grace has run out.</summary>
    public DateTimeOffset? PastDueSince { get; set; }
}
