using System.Diagnostics.Metrics;

namespace Piramid.Gateway.Telemetry;

/// <summary>
/// The gateway's Meter (<see cref="MeterName"/>): refusals of its limits and how far usage reporting is behind.
/// No tenant label: the gateway serves every tenant, and a label per tenant would grow without bound; per-tenant
/// figures come from the engines' series (docs/design/observability.md).
/// </summary>
public sealed class GatewayTelemetry : IDisposable
{
    /// <summary>Meter name.</summary>
    public const string MeterName = "Piramid.Gateway";

    /// <summary><c>reason</c> of a refusal by the plan's request rate.</summary>
    public const string RateLimit = "rate_limit";

    /// <summary><c>reason</c> of a refusal by the plan's concurrent requests.</summary>
    public const string InFlight = "in_flight";

    /// <summary><c>reason</c> of a refusal by a monthly quota.</summary>
    public const string Quota = "quota";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _refusals;
    private readonly TimeProvider _time;

    // When everything counted had last been delivered (the start counts: nothing was counted before it).
    private long _caughtUpAt;

    /// <summary>Creates the instruments.</summary>
    public GatewayTelemetry(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _caughtUpAt = time.GetTimestamp();
        _refusals = _meter.CreateCounter<long>("piramid.gateway.refusals", "{request}", "Data requests refused by a plan limit, by reason");
        _meter.CreateObservableGauge("piramid.gateway.usage.report.lag", () => _time.GetElapsedTime(Interlocked.Read(ref _caughtUpAt)).TotalSeconds, "s",
            "Seconds since every request unit counted had been delivered to the control plane");
    }

    /// <summary>Counts a refusal.</summary>
    public void Refused(string reason) => _refusals.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Everything counted up to <paramref name="timestamp"/> (of the clock's <c>GetTimestamp</c>) is delivered.</summary>
    public void UsageCaughtUp(long timestamp) => Interlocked.Exchange(ref _caughtUpAt, timestamp);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
