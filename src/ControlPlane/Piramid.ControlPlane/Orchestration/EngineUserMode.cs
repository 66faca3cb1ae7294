namespace Piramid.ControlPlane.Orchestration;

/// <summary>Whether each tenant's engine runs under an OS user of its own (docs/design/orchestration.md).</summary>
public enum EngineUserMode
{
    /// <summary>Per-tenant uids when the control plane runs as root, else off.</summary>
    Auto,

    /// <summary>Per-tenant uids, required: the control plane refuses to start unless it runs as root.</summary>
    On,

    /// <summary>Every engine runs as the control plane's user (development; weaker isolation).</summary>
    Off,
}
