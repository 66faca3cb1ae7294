using System.Diagnostics.Metrics;

namespace Piramid.ControlPlane.Orchestration;

/// <summary>
/// The orchestrator's metrics (Meter <see cref="MeterName"/>): engine restarts after a crash or a failed health check.
/// No tenant label here: an engine's own series carry its tenant (the scrape target's label, docs/design/observability.md).
/// </summary>
public sealed class OrchestratorTelemetry : IDisposable
{
    /// <summary>Meter name.</summary>
    public const string MeterName = "Piramid.ControlPlane.Orchestration";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _restarts;
    private readonly Counter<long> _hibernations;
    private readonly Histogram<double> _wakes;

    /// <summary>Creates the instruments.</summary>
    public OrchestratorTelemetry()
    {
        _restarts = _meter.CreateCounter<long>("piramid.orchestrator.engine.restarts", "{restart}", "Engines started again after a crash or failed health checks");
        _hibernations = _meter.CreateCounter<long>("piramid.orchestrator.engine.hibernations", "{hibernation}", "Engines stopped after their plan's idle period");
        // The histogram's count is the number of wakes; its buckets are the time from the wake request to ready.
        _wakes = _meter.CreateHistogram<double>("piramid.orchestrator.engine.wake.duration", "s", "Wakes of hibernating engines and their time to ready",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10, 30] });
    }

    /// <summary>Counts a restart.</summary>
    public void Restarted() => _restarts.Add(1);

    /// <summary>Counts one hibernation.</summary>
    public void Hibernated() => _hibernations.Add(1);

    /// <summary>Records one wake that ended ready (or not) after <paramref name="elapsed"/>.</summary>
    public void Woke(TimeSpan elapsed, bool ready) =>
        _wakes.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", ready ? "ready" : "failed"));

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
