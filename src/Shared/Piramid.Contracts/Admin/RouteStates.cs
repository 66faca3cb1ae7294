namespace Piramid.Contracts.Admin;

/// <summary>
/// The states of a tenant's engine as <see cref="RouteInfo.State"/> and <see cref="TenantInfo.EngineState"/>
/// spell them; the gateway routes only to <see cref="Running"/>.
/// </summary>
public static class RouteStates
{
    /// <summary>Data directory and keys being created.</summary>
    public const string Provisioning = "provisioning";

    /// <summary>Process started, not ready yet.</summary>
    public const string Starting = "starting";

    /// <summary>Ready and serving: the only state the gateway routes to.</summary>
    public const string Running = "running";

    /// <summary>Died; a restart is scheduled.</summary>
    public const string Crashed = "crashed";

    /// <summary>Stopped on purpose (suspend, delete, shutdown).</summary>
    public const string Stopped = "stopped";

    /// <summary>Stopped after the plan's idle period; the gateway holds its first request and wakes it.</summary>
    public const string Hibernating = "hibernating";

    /// <summary>Starting again after hibernation, for a request that is waiting.</summary>
    public const string Waking = "waking";

    /// <summary>Every state.</summary>
    public static IReadOnlyList<string> All { get; } = [Provisioning, Starting, Running, Crashed, Stopped, Hibernating, Waking];
}
