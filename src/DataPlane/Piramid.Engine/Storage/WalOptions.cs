using Microsoft.Win32.SafeHandles;

namespace Piramid.Engine.Storage;

/// <summary>Options of a <see cref="WriteAheadLog"/>.</summary>
public sealed class WalOptions
{
    /// <summary>When an appended record counts as durable.</summary>
    public DurabilityPolicy Policy { get; init; } = DurabilityPolicy.Default;

    /// <summary>Size after which the log starts a new segment.</summary>
    public long SegmentBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Clock for the batch window and the interval timer.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Test seam: runs before every fsync of a segment; throwing an IOException simulates a failed fsync.</summary>
    internal Action<SafeFileHandle>? BeforeSync { get; init; }
}
