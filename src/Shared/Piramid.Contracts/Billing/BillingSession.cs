namespace Piramid.Contracts.Billing;

/// <summary>Answer of <c>POST .../billing/checkout</c> and <c>.../billing/portal</c>: where to send the user.</summary>
public sealed class BillingSession
{
    /// <summary>The Stripe Checkout or Customer Portal session's URL.</summary>
    public required string Url { get; set; }
}
