using Piramid.Contracts.Durability;

namespace Piramid.Engine.Storage;

/// <summary>The WAL durability policy: one explicit object instead of scattered flags.</summary>
/// <param name="Mode">When a record counts as durable.</param>
/// <param name="BatchWindow">Longest wait to gather writers into one fsync (<see cref="DurabilityMode.Batch"/>).</param>
/// <param name="Interval">Fsync period (<see cref="DurabilityMode.Interval"/>).</param>
public sealed record DurabilityPolicy(DurabilityMode Mode, TimeSpan BatchWindow, TimeSpan Interval)
{
    private static readonly TimeSpan DefaultBatchWindow = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Batch with a 2 ms window (interval 100 ms if the mode is switched).</summary>
    public static DurabilityPolicy Default { get; } = new(DurabilityMode.Batch, DefaultBatchWindow, DefaultInterval);

    /// <summary>
    /// Parses the shared durability grammar (<see cref="DurabilitySetting"/>: <c>always</c>, <c>batch:5ms</c>,
    /// <c>interval:200ms</c>, <c>none</c>, ...), the one the control plane checks; <see cref="ArgumentException"/> otherwise.
    /// </summary>
    public static DurabilityPolicy Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var setting = DurabilitySetting.Parse(text);
        return setting.Kind switch
        {
            DurabilityKind.Always => Default with { Mode = DurabilityMode.Always },
            DurabilityKind.None => Default with { Mode = DurabilityMode.None },
            DurabilityKind.Batch => Default with { Mode = DurabilityMode.Batch, BatchWindow = setting.Period ?? DefaultBatchWindow },
            DurabilityKind.Interval => Default with { Mode = DurabilityMode.Interval, Interval = setting.Period ?? DefaultInterval },
            _ => throw new ArgumentOutOfRangeException(nameof(text), setting.Kind, "Unknown durability kind."),
        };
    }
}
