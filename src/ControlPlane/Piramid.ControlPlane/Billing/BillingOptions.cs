namespace Piramid.ControlPlane.Billing;

/// <summary>Metering, prices and Stripe, bound from <c>Billing</c>. Without <see cref="StripeOptions.ApiKey"/> billing runs metering and estimates only.</summary>
public sealed class BillingOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Billing";

    /// <summary>How often each engine's bytes on disk are sampled into byte-seconds.</summary>
    public TimeSpan StorageSampleInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Most time one sample accounts for: after a longer gap (the control plane was down) the rest is not billed,
    /// rather than billed at a size nobody saw.
    /// </summary>
    public TimeSpan MaxSampleGap { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often new usage is turned into meter events and sent to Stripe.</summary>
    public TimeSpan MeterInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often refused webhook deliveries are audited, counted per reason (<see cref="WebhookRefusals"/>).</summary>
    public TimeSpan WebhookRefusalFlushInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long after a meter event's first send a resend is still counted once by Stripe. Stripe enforces an
    /// identifier's uniqueness "within a rolling period of at least 24 hours" (API reference of
    /// <c>identifier</c>), and keeps idempotency keys at least 24 hours; beyond that a resend may count twice, so an
    /// event whose answer was lost longer ago is not resent but marked unconfirmed (docs/design/billing.md).
    /// </summary>
    public TimeSpan MeterDedupWindow { get; set; } = TimeSpan.FromHours(23);

    /// <summary>Prices by plan id; a plan without an entry is free (estimate 0).</summary>
    public Dictionary<string, PlanPrice> Plans { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Stripe; unset = no Stripe.</summary>
    public StripeOptions Stripe { get; set; } = new();

    /// <summary>True when Stripe is configured.</summary>
    public bool StripeEnabled => !string.IsNullOrEmpty(Stripe.ApiKey);

    /// <summary>The prices of <paramref name="planId"/>, or a free plan in <paramref name="currency"/>.</summary>
    public PlanPrice PriceOf(string planId, string currency = "usd") =>
        Plans.TryGetValue(planId, out var price) ? price : new PlanPrice { Currency = currency };
}
