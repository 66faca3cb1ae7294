namespace Piramid.TestKit.Processes.KillSoak;

/// <summary>What the soak expects of one point id: absent, or one exact version written by one batch.</summary>
/// <param name="Version">The version (unique per lane, from 1); 0 when absent.</param>
/// <param name="Batch">The batch that wrote it; null when absent.</param>
internal readonly record struct PointState(long Version, string? Batch)
{
    public static PointState Absent { get; } = new(0, null);

    public bool IsAbsent => Version == 0;

    public override string ToString() => IsAbsent ? "absent" : $"v{Version} of {Batch}";
}
