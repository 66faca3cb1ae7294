namespace Piramid.Contracts.Metrics;

/// <summary>The windows a metrics summary covers and their fixed steps.</summary>
/// <param name="Name">As given in <c>?window=</c>.</param>
/// <param name="Length">How far back.</param>
/// <param name="Step">Length of one point.</param>
public sealed record MetricsWindow(string Name, TimeSpan Length, TimeSpan Step)
{
    /// <summary>The window used when none is given.</summary>
    public static MetricsWindow Default => All[0];

    /// <summary>Every window: 60 points of a minute, 96 of 15 minutes, 168 of an hour.</summary>
    public static IReadOnlyList<MetricsWindow> All { get; } =
    [
        new("1h", TimeSpan.FromHours(1), TimeSpan.FromMinutes(1)),
        new("24h", TimeSpan.FromHours(24), TimeSpan.FromMinutes(15)),
        new("7d", TimeSpan.FromDays(7), TimeSpan.FromHours(1)),
    ];

    /// <summary>The window named exactly (case-sensitive), or null.</summary>
    public static MetricsWindow? Find(string? name) => All.FirstOrDefault(w => string.Equals(w.Name, name, StringComparison.Ordinal));
}
