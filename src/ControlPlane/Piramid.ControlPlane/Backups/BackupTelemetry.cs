using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Piramid.ControlPlane.Backups;

/// <summary>
/// The control plane's backup metrics (Meter <see cref="MeterName"/>, exported with the process's other metrics):
/// the log archive's lag per tenant, in seconds and bytes, as the last archiving pass measured it.
/// </summary>
public sealed class BackupTelemetry : IDisposable
{
    /// <summary>Meter name.</summary>
    public const string MeterName = "Piramid.ControlPlane.Backups";

    private readonly Meter _meter = new(MeterName);
    private readonly ConcurrentDictionary<string, ArchiveLag> _lag = new(StringComparer.Ordinal);

    /// <summary>Creates the gauges.</summary>
    public BackupTelemetry()
    {
        _meter.CreateObservableGauge("piramid.backup.archive.lag", () => Measure(l => l.Seconds), "s",
            "How far the archived log is behind the engine's sealed log (append time of the newest sealed record minus the newest archived one)");
        _meter.CreateObservableGauge("piramid.backup.archive.lag_bytes", () => Measure(l => l.Bytes), "By",
            "Sealed log bytes the engine holds that are not archived yet");
    }

    /// <summary>Records a tenant's lag.</summary>
    public void Record(string tenantId, ArchiveLag lag) => _lag[tenantId] = lag;

    /// <summary>The tenant's last measured lag, or null.</summary>
    public ArchiveLag? LagOf(string tenantId) => _lag.TryGetValue(tenantId, out var lag) ? lag : null;

    /// <summary>Forgets a tenant (its engine stopped).</summary>
    public void Forget(string tenantId) => _lag.TryRemove(tenantId, out _);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<double>> Measure(Func<ArchiveLag, double> value) =>
        _lag.Select(p => new Measurement<double>(value(p.Value), new KeyValuePair<string, object?>("tenant_id", p.Key)));
}

/// <summary>A tenant's archive lag when measured.</summary>
/// <param name="Seconds">Seconds of log sealed but not archived.</param>
/// <param name="Bytes">Bytes sealed but not archived.</param>
/// <param name="MeasuredAt">When.</param>
public sealed record ArchiveLag(double Seconds, long Bytes, DateTimeOffset MeasuredAt);
