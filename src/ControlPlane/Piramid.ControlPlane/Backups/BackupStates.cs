namespace Piramid.ControlPlane.Backups;

/// <summary>Where a backup stands; only a <see cref="Completed"/> one can be restored.</summary>
public static class BackupStates
{
    /// <summary>Asked for, its operation not started.</summary>
    public const string Pending = "pending";

    /// <summary>Files are being copied.</summary>
    public const string Running = "running";

    /// <summary>Every file and then the manifest are stored.</summary>
    public const string Completed = "completed";

    /// <summary>It failed; its objects were removed.</summary>
    public const string Failed = "failed";
}
