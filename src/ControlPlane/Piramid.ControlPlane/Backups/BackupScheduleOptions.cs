namespace Piramid.ControlPlane.Backups;

/// <summary>
/// How often the control plane looks at schedules, retention and the log archive (section <c>Backups</c>, beside the
/// store's settings). The plan says what is due; these say how soon it is noticed.
/// </summary>
public sealed class BackupScheduleOptions
{
    /// <summary>Configuration section (shared with the store's options).</summary>
    public const string Section = "Backups";

    /// <summary>Time between two rounds of scheduled backups and retention.</summary>
    public TimeSpan ScheduleInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Time between two archiving passes over the running engines (the archive lag's floor).</summary>
    public TimeSpan ArchiveInterval { get; set; } = TimeSpan.FromSeconds(5);
}
