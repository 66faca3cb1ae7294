using System.ComponentModel.DataAnnotations;

namespace Piramid.ControlPlane.Observability;

/// <summary>The charts' minute table (<c>RequestMetrics</c> section): how often engines are sampled and how long minutes are kept.</summary>
public sealed class RequestMetricsOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RequestMetrics";

    /// <summary>How often each running engine's storage and memory are sampled (default 1 minute, the finest step).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "RequestMetrics:SampleInterval must be between 1 second and 1 hour.")]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long minutes are kept (default 8 days: the longest window, 7 days, and a day of margin).</summary>
    [Range(typeof(TimeSpan), "7.00:00:00", "400.00:00:00", ErrorMessage = "RequestMetrics:Retention must be between 7 and 400 days (the 7d window reads 7 days back).")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(8);
}
