namespace Piramid.ControlPlane.Billing;

/// <summary>A tenant's payment status, as stored and as the API shows it.</summary>
public static class PaymentStatuses
{
    /// <summary>No subscription (billing off, or not yet subscribed).</summary>
    public const string None = "none";

    /// <summary>Paid up.</summary>
    public const string Active = "active";

    /// <summary>An invoice failed; writes are refused once the plan's grace has run out.</summary>
    public const string PastDue = "past_due";

    /// <summary>The subscription was deleted; the tenant is suspended.</summary>
    public const string Canceled = "canceled";
}
