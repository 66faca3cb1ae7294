namespace Piramid.ControlPlane.Operations;

/// <summary>How the <see cref="OperationRunner"/> claims, heartbeats and gives up on operations (section <c>Operations</c>).</summary>
public sealed class OperationsOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Operations";

    /// <summary>How often the runner looks for pending work when nobody signalled it (a request in this process signals at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a running operation's owner proves it is alive.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A running operation whose heartbeat is older than this belongs to a dead control plane: it is failed, or put
    /// back to pending when its handler can resume. Six heartbeats, so a slow database round does not kill live work.
    /// </summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Progress is written at most this often (the issue asks for about half a second).</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Operations one control plane runs at once (each holds an engine stream and a store stream).</summary>
    public int MaxConcurrent { get; set; } = 2;
}
