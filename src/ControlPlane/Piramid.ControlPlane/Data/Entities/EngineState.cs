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
}
