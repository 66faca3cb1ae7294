namespace Piramid.ControlPlane.Billing;

/// <summary>
/// The one pricing function: a period's usage and a plan's prices to an amount, computed the way Stripe computes an
/// invoice line of a graduated metered price (the included quantity free, then a per-unit amount in minor units with
/// at most 12 decimals, each line rounded to a whole minor unit). The estimate of <c>GET .../billing</c> and the
/// Stripe prices an operator sets up (<see cref="UnitAmountDecimal"/>) come from these same numbers.
/// </summary>
public static class Pricing
{
    /// <summary>Hours in a billing month (Stripe's and the clouds' convention: 365 × 24 / 12).</summary>
    public const int HoursPerMonth = 730;

    /// <summary>Bytes in a GB (decimal, as storage is sold).</summary>
    public const long BytesPerGb = 1_000_000_000;

    /// <summary>Bytes in an MB: storage is metered in whole MB-hours.</summary>
    public const long BytesPerMb = 1_000_000;

    /// <summary>Whole MB-hours of <paramref name="byteSeconds"/> (rounded down, so a sum of days never exceeds the storage).</summary>
    public static long MbHours(long byteSeconds) => byteSeconds / (BytesPerMb * 3600);

    /// <summary>The amount of a period's usage on <paramref name="price"/>.</summary>
    public static PeriodAmount Estimate(PlanPrice price, long readUnits, long writeUnits, long storageMbHours)
    {
        ArgumentNullException.ThrowIfNull(price);
        var fixedMinor = ToMinor(price.MonthlyPrice);
        var read = Line(readUnits, price.IncludedReadUnits, UnitAmountDecimal(price, Meters.ReadUnits));
        var write = Line(writeUnits, price.IncludedWriteUnits, UnitAmountDecimal(price, Meters.WriteUnits));
        var storage = Line(storageMbHours, IncludedMbHours(price), UnitAmountDecimal(price, Meters.StorageMbHours));
        return new PeriodAmount(price.Currency, fixedMinor, read, write, storage);
    }

    /// <summary>Included MB-hours of a plan.</summary>
    public static long IncludedMbHours(PlanPrice price)
    {
        ArgumentNullException.ThrowIfNull(price);
        return (long)decimal.Floor(price.IncludedGbMonths * HoursPerMonth * (BytesPerGb / BytesPerMb));
    }

    /// <summary>
    /// Price of one unit of <paramref name="meter"/> beyond the included ones, in minor units with 12 decimals: the
    /// <c>unit_amount_decimal</c> of the plan's Stripe price for that meter.
    /// </summary>
    public static decimal UnitAmountDecimal(PlanPrice price, string meter)
    {
        ArgumentNullException.ThrowIfNull(price);
        var perUnitMajor = meter switch
        {
            Meters.ReadUnits => price.PricePerMillionReadUnits / 1_000_000m,
            Meters.WriteUnits => price.PricePerMillionWriteUnits / 1_000_000m,
            Meters.StorageMbHours => price.PricePerGbMonth / HoursPerMonth / (BytesPerGb / BytesPerMb),
            _ => throw new ArgumentOutOfRangeException(nameof(meter), meter, "Unknown meter."),
        };
        return decimal.Round(perUnitMajor * 100m, 12, MidpointRounding.AwayFromZero);
    }

    /// <summary>Minor units (cents) of an amount in major units.</summary>
    public static long ToMinor(decimal major) => (long)decimal.Round(major * 100m, 0, MidpointRounding.AwayFromZero);

    private static long Line(long quantity, long included, decimal unitAmountDecimal) =>
        (long)decimal.Round(Math.Max(0, quantity - included) * unitAmountDecimal, 0, MidpointRounding.AwayFromZero);
}
