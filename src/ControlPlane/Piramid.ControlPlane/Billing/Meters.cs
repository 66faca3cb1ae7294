namespace Piramid.ControlPlane.Billing;

/// <summary>What is metered, as stored in <c>meter_events.meter</c>.</summary>
public static class Meters
{
    /// <summary>Read units.</summary>
    public const string ReadUnits = "read_units";

    /// <summary>Write units.</summary>
    public const string WriteUnits = "write_units";

    /// <summary>Storage in whole MB-hours.</summary>
    public const string StorageMbHours = "storage_mb_hours";
}
