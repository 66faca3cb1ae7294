namespace Piramid.Contracts.Billing;

/// <summary>Answer of <c>GET /v1/tenants/{id}/billing</c>: plan, payment status, this period's usage and estimate, invoices.</summary>
public sealed class TenantBilling
{
    /// <summary>Plan id.</summary>
    public required string Plan { get; set; }

    /// <summary><c>none</c>, <c>active</c>, <c>past_due</c> or <c>canceled</c>.</summary>
    public required string PaymentStatus { get; set; }

    /// <summary>When writes start answering 402 (past due only).</summary>
    public DateTimeOffset? WritesRefusedFrom { get; set; }

    /// <summary>The subscription ends at the end of the current period (set from Stripe's <c>customer.subscription.updated</c>).</summary>
    public bool CancelAtPeriodEnd { get; set; }

    /// <summary>False when the platform runs without Stripe: metering and estimates only.</summary>
    public bool StripeEnabled { get; set; }

    /// <summary>The current period (the calendar month, UTC).</summary>
    public required BillingPeriod Period { get; set; }

    /// <summary>Invoices from Stripe, newest first (empty without Stripe).</summary>
    public IReadOnlyList<BillingInvoice> Invoices { get; set; } = [];
}
