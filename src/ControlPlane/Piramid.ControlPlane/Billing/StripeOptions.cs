namespace Piramid.ControlPlane.Billing;

/// <summary>Stripe connection, bound from <c>Billing:Stripe</c>.</summary>
public sealed class StripeOptions
{
    /// <summary>Secret API key (<c>sk_...</c>); unset = billing without Stripe.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Webhook signing secret (<c>whsec_...</c>); required with <see cref="ApiKey"/>.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>API base; tests point it at a local fake.</summary>
    public string? ApiBase { get; set; }

    /// <summary>Meter events base; tests point it at a local fake.</summary>
    public string? MeterEventsBase { get; set; }

    /// <summary>Oldest signature timestamp accepted on a webhook.</summary>
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Meter event name of read units.</summary>
    public string ReadMeterEvent { get; set; } = "piramid_read_units";

    /// <summary>Meter event name of write units.</summary>
    public string WriteMeterEvent { get; set; } = "piramid_write_units";

    /// <summary>Meter event name of storage, in MB-hours.</summary>
    public string StorageMeterEvent { get; set; } = "piramid_storage_mb_hours";

    /// <summary>Where Checkout and the Customer Portal send the user back.</summary>
    public string ReturnUrl { get; set; } = "http://localhost:5173/billing";
}
