using System.Globalization;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Orchestration;

/// <summary>
/// A plan's limits as the engine enforces them, and the heap its runtime gets; a value of 0 or less means the
/// plan sets no limit.
/// </summary>
/// <remarks>
/// <c>RecoveryWindowSeconds</c> (the plan's <c>pitr_window_hours</c>) makes the engine keep sealed WAL segments that
/// young until the control plane archived them (docs/design/backups.md).
/// </remarks>
internal sealed record EngineLimits(int MaxCollections, long MaxPoints, int MaxDimension, long MaxStorageBytes, long MemoryBytes, long RecoveryWindowSeconds = 0)
{
    public static EngineLimits Unlimited { get; } = new(0, 0, 0, 0, 0);

    public static EngineLimits From(Plan plan) =>
        new(plan.MaxCollections, plan.MaxPoints, plan.MaxDimension, plan.MaxStorageBytes, plan.EngineMemoryBytes, plan.PitrWindowHours * 3600L);

    /// <summary>Adds the engine's <c>Engine__Max*</c> variables for the limits that are set.</summary>
    public void AddTo(Dictionary<string, string> environment)
    {
        Add(environment, "Engine__MaxCollections", MaxCollections);
        Add(environment, "Engine__MaxPoints", MaxPoints);
        Add(environment, "Engine__MaxDimension", MaxDimension);
        Add(environment, "Engine__MaxStorageBytes", MaxStorageBytes);
        Add(environment, "Engine__RecoveryWindowSeconds", RecoveryWindowSeconds);
        if (MemoryBytes > 0)
        {
            // Hex digits without "0x": the Native AOT runtime ignores the variable with the prefix (measured).
            // Allocations past the limit fail, so one tenant cannot take the host's memory.
            environment["DOTNET_GCHeapHardLimit"] = MemoryBytes.ToString("X", CultureInfo.InvariantCulture);
        }
    }

    private static void Add(Dictionary<string, string> environment, string name, long value)
    {
        if (value > 0)
        {
            environment[name] = value.ToString(CultureInfo.InvariantCulture);
        }
    }
}
