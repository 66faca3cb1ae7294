using System.Diagnostics.Metrics;

namespace Piramid.DataPlane.Hosting;

/// <summary>The engine process's one Meter (OpenTelemetry names and units).</summary>
public static class EngineTelemetry
{
    /// <summary>Meter and ActivitySource name.</summary>
    public const string Name = "Piramid.Engine";

    private static readonly Meter Meter = new(Name);

    /// <summary>Points written, by operation.</summary>
    public static readonly Counter<long> PointsWritten = Meter.CreateCounter<long>("piramid.engine.points.written", "{point}");

    /// <summary>Searches served.</summary>
    public static readonly Counter<long> Searches = Meter.CreateCounter<long>("piramid.engine.searches", "{search}");
}
