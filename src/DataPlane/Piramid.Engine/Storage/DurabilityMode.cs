namespace Piramid.Engine.Storage;

/// <summary>When an appended WAL record counts as durable.</summary>
public enum DurabilityMode
{
    /// <summary>Each wait fsyncs at once, without a gathering window.</summary>
    Always,

    /// <summary>Group commit: one fsync for everything gathered within the batch window.</summary>
    Batch,

    /// <summary>Written to the OS at once, fsynced on a timer; a crash can lose the last interval.</summary>
    Interval,

    /// <summary>Written to the OS; fsynced only on flush, rotation and dispose.</summary>
    None,
}
