namespace Piramid.ControlPlane.Billing;

/// <summary>A plan's prices (all amounts in the currency's major unit, e.g. dollars) and its Stripe prices.</summary>
public sealed class PlanPrice
{
    /// <summary>ISO currency code, lower case as Stripe writes it.</summary>
    public string Currency { get; set; } = "usd";

    /// <summary>Fixed price per month.</summary>
    public decimal MonthlyPrice { get; set; }

    /// <summary>Read units included each month.</summary>
    public long IncludedReadUnits { get; set; }

    /// <summary>Write units included each month.</summary>
    public long IncludedWriteUnits { get; set; }

    /// <summary>Storage included each month, in GB-months.</summary>
    public decimal IncludedGbMonths { get; set; }

    /// <summary>Price per million read units beyond the included ones.</summary>
    public decimal PricePerMillionReadUnits { get; set; }

    /// <summary>Price per million write units beyond the included ones.</summary>
    public decimal PricePerMillionWriteUnits { get; set; }

    /// <summary>Price per GB-month beyond the included storage.</summary>
    public decimal PricePerGbMonth { get; set; }

    /// <summary>How long writes go on after a failed payment before they answer 402.</summary>
    public TimeSpan PaymentGrace { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Stripe prices the plan's subscription holds (its fixed price and its metered prices).</summary>
    public List<string> StripePriceIds { get; set; } = [];
}
