namespace Piramid.ControlPlane.Data.Entities;

/// <summary>
/// One entry of the gateway's change feed: a key revoked or rotated, a tenant suspended, an engine moved.
/// The gateway polls for ids after the last it saw and refreshes what changed.
/// </summary>
public sealed class ChangeEvent
{
    /// <summary>Monotonic id.</summary>
    public long Id { get; set; }

    /// <summary>When.</summary>
    public DateTimeOffset Time { get; set; }

    /// <summary><c>key</c>, <c>tenant</c>, <c>route</c> or <c>plan</c>.</summary>
    public required string Kind { get; set; }

    /// <summary>The key id, tenant id or plan id.</summary>
    public required string Subject { get; set; }
}
