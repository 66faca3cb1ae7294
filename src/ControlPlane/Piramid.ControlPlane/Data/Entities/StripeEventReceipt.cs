namespace Piramid.ControlPlane.Data.Entities;

/// <summary>A Stripe webhook event applied, by id: the same event delivered again is acknowledged and ignored.</summary>
public sealed class StripeEventReceipt
{
    /// <summary>Stripe event id (<c>evt_...</c>).</summary>
    public required string Id { get; set; }

    /// <summary>Event type.</summary>
    public required string Type { get; set; }

    /// <summary>When it was applied.</summary>
    public DateTimeOffset ReceivedAt { get; set; }
}
