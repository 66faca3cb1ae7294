namespace Piramid.ControlPlane.Data.Entities;

/// <summary>What the orchestrator believes about a tenant's engine process.</summary>
public enum EngineState
{
    /// <summary>Data directory and keys being created.</summary>
    Provisioning,

    /// <summary>Process started, not ready yet.</summary>
    Starting,

    /// <summary>Ready and serving.</summary>
    Running,

    /// <summary>Died; a restart is scheduled with backoff.</summary>
    Crashed,

    /// <summary>Stopped on purpose (suspend, delete, shutdown).</summary>
    Stopped,

    /// <summary>Stopped after the plan's idle period (checkpointed); the first request wakes it.</summary>
    Hibernating,

    /// <summary>Starting again after hibernation.</summary>
    Waking,
}
