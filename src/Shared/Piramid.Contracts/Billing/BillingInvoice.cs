namespace Piramid.Contracts.Billing;

/// <summary>One Stripe invoice.</summary>
public sealed class BillingInvoice
{
    /// <summary>Invoice number.</summary>
    public string? Number { get; set; }

    /// <summary>Start of the period it bills.</summary>
    public DateTimeOffset PeriodStart { get; set; }

    /// <summary>End of the period it bills.</summary>
    public DateTimeOffset PeriodEnd { get; set; }

    /// <summary>Amount due in <see cref="Currency"/>.</summary>
    public decimal Amount { get; set; }

    /// <summary>ISO currency code.</summary>
    public required string Currency { get; set; }

    /// <summary><c>draft</c>, <c>open</c>, <c>paid</c>, <c>uncollectible</c> or <c>void</c>.</summary>
    public required string Status { get; set; }

    /// <summary>Stripe's hosted page of the invoice.</summary>
    public string? Url { get; set; }
}
