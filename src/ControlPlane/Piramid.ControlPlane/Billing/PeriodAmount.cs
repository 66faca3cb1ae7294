namespace Piramid.ControlPlane.Billing;

/// <summary>An amount by line, in minor units (cents) of <paramref name="Currency"/>.</summary>
public sealed record PeriodAmount(string Currency, long FixedMinor, long ReadMinor, long WriteMinor, long StorageMinor)
{
    /// <summary>The total in minor units.</summary>
    public long TotalMinor => FixedMinor + ReadMinor + WriteMinor + StorageMinor;

    /// <summary>The total in major units (e.g. dollars).</summary>
    public decimal Total => TotalMinor / 100m;
}
