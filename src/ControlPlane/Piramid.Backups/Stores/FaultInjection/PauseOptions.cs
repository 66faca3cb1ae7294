namespace Piramid.Backups.Stores.FaultInjection;

/// <summary>Settings of <see cref="PausingBackupStore"/> (<c>Backups:TestPause:*</c>; tests only).</summary>
public sealed class PauseOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Backups:TestPause";

    /// <summary>Bytes let through before the pause; null (the default) leaves the store unwrapped.</summary>
    public long? AfterBytes { get; set; }

    /// <summary><c>put</c> (the default: backups and archiving) or <c>read</c> (restores).</summary>
    public string On { get; set; } = "put";

    /// <summary>A file written (with this process's id) when the flow stops, for a test in another process.</summary>
    public string? SignalFile { get; set; }

    /// <summary>True when the pause counts bytes read from the store rather than put into it.</summary>
    public bool OnRead => string.Equals(On, "read", StringComparison.OrdinalIgnoreCase);
}
