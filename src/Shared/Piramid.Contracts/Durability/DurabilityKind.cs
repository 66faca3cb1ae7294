namespace Piramid.Contracts.Durability;

/// <summary>The modes of the durability grammar (<see cref="DurabilitySetting"/>).</summary>
public enum DurabilityKind
{
    /// <summary><c>always</c>: each write fsyncs at once.</summary>
    Always,

    /// <summary><c>batch[:window]</c>: group commit within a window.</summary>
    Batch,

    /// <summary><c>interval[:period]</c>: fsync on a timer.</summary>
    Interval,

    /// <summary><c>none</c>: fsync only on flush, rotation and dispose.</summary>
    None,
}
