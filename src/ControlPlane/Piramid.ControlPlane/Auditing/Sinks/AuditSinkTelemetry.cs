using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Piramid.ControlPlane.Auditing.Sinks;

/// <summary>
/// Metrics of the continuous audit export (Meter <see cref="MeterName"/>): entries delivered and failed attempts per
/// sink kind, and the backlog (entries stored but not delivered) summed per kind. No tenant label: the number of
/// tenants is unbounded, and <c>GET /v1/tenants/{id}/audit/sink</c> names each tenant's own figures.
/// </summary>
public sealed class AuditSinkTelemetry : IDisposable
{
    /// <summary>Meter name.</summary>
    public const string MeterName = "Piramid.ControlPlane.AuditSinks";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _failures;
    private readonly ConcurrentDictionary<string, (string Kind, long Backlog)> _backlog = new(StringComparer.Ordinal);

    /// <summary>Creates the instruments.</summary>
    public AuditSinkTelemetry()
    {
        _delivered = _meter.CreateCounter<long>("piramid.audit.sink.delivered", "{entry}", "Audit entries delivered to tenants' sinks");
        _failures = _meter.CreateCounter<long>("piramid.audit.sink.failures", "{attempt}", "Delivery attempts to audit sinks that failed");
        _meter.CreateObservableGauge("piramid.audit.sink.backlog", Backlog, "{entry}", "Audit entries stored but not yet delivered to their sink");
    }

    /// <summary>Counts a successful delivery.</summary>
    public void Delivered(string kind, int entries) => _delivered.Add(entries, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>Counts a failed attempt.</summary>
    public void Failed(string kind) => _failures.Add(1, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>Records a sink's backlog as last counted.</summary>
    public void RecordBacklog(string tenantId, string kind, long backlog) => _backlog[tenantId] = (kind, backlog);

    /// <summary>Forgets a sink (deleted).</summary>
    public void Forget(string tenantId) => _backlog.TryRemove(tenantId, out _);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> Backlog() =>
        _backlog.Values.GroupBy(v => v.Kind).Select(g => new Measurement<long>(g.Sum(v => v.Backlog), new KeyValuePair<string, object?>("kind", g.Key)));
}
