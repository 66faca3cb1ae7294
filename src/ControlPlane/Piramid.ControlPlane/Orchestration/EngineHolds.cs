namespace Piramid.ControlPlane.Orchestration;

/// <summary>What a control-plane use of an engine is to hibernation (docs/design/hibernation.md, "Control-plane uses").</summary>
public enum EngineHoldKind
{
    /// <summary>Started by a user (an operation, an API audit read): it wakes a hibernating engine and counts as activity.</summary>
    Use,

    /// <summary>The control plane's own periodic work (anchors, WAL archiving, audit sinks): it neither wakes nor counts.</summary>
    Background,
}

/// <summary>
/// The kind of the engine uses in the current flow. Background loops mark their flow once, so the clients they call
/// (audit, backup) hold and route without waking and without resetting the idle period: otherwise a loop polling more
/// often than the plan's idle period keeps every engine awake.
/// </summary>
public static class EngineHolds
{
    private static readonly AsyncLocal<bool> InBackground = new();

    /// <summary>The kind of hold a use in this flow takes.</summary>
    public static EngineHoldKind Current => InBackground.Value ? EngineHoldKind.Background : EngineHoldKind.Use;

    /// <summary>Marks this flow as background work until disposed.</summary>
    public static IDisposable Background()
    {
        var scope = new Scope(InBackground.Value);
        InBackground.Value = true;
        return scope;
    }

    private sealed class Scope(bool previous) : IDisposable
    {
        public void Dispose() => InBackground.Value = previous;
    }
}
