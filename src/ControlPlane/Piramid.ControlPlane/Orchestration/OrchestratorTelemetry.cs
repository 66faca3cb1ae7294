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

    /// <summary>Creates the instruments.</summary>
    public OrchestratorTelemetry() =>
        _restarts = _meter.CreateCounter<long>("piramid.orchestrator.engine.restarts", "{restart}", "Engines started again after a crash or failed health checks");

    /// <summary>Counts a restart.</summary>
    public void Restarted() => _restarts.Add(1);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
