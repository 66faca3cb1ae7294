namespace Piramid.ControlPlane.Operations;

/// <summary>Where an operation stands; <see cref="Succeeded"/> and <see cref="Failed"/> are final.</summary>
public static class OperationStates
{
    /// <summary>Waiting for a runner.</summary>
    public const string Pending = "pending";

    /// <summary>Claimed by a runner (its owner heartbeats).</summary>
    public const string Running = "running";

    /// <summary>Done.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>Failed; its error says why.</summary>
    public const string Failed = "failed";
}
