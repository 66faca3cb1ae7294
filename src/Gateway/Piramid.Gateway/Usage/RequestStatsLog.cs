using System.Collections.Concurrent;
using Piramid.Contracts.Metrics;

namespace Piramid.Gateway.Usage;

/// <summary>
/// Each tenant's data requests per UTC minute, counted in memory and sent with the usage reports
/// (<see cref="UsageReporter"/>): how many, how many answered 4xx and 5xx, and a latency histogram with the fixed
/// <see cref="LatencyBuckets"/>, so the control plane can chart rate, errors and quantiles without Prometheus.
/// Bounded at <see cref="RequestStatsReport.MaxMinutes"/> tenant-minutes between two deliveries; past it a new
/// tenant-minute is not counted (an outage of the control plane long enough for that loses the newest counts, not memory).
/// </summary>
public sealed class RequestStatsLog(TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Tenant, long Minute), Counts> _pending = new();

    // The report drained and not yet answered: sent again, same id, before anything newer (only the reporter touches it).
    private RequestStatsReport? _waiting;

    /// <summary>The clock the latencies are measured with.</summary>
    public TimeProvider Time => time;

    /// <summary>Counts one answered request of <paramref name="tenantId"/> that started at <paramref name="startedAt"/> (a <see cref="TimeProvider.GetTimestamp"/>).</summary>
    public void Record(string tenantId, int status, long startedAt)
    {
        var elapsed = time.GetElapsedTime(startedAt);
        var minute = MinuteOf(time.GetUtcNow());
        var key = (tenantId, minute);
        if (!_pending.TryGetValue(key, out var counts))
        {
            if (_pending.Count >= RequestStatsReport.MaxMinutes)
            {
                return;
            }

            counts = _pending.GetOrAdd(key, static _ => new Counts());
        }

        Interlocked.Increment(ref counts.Requests);
        if (status is >= 400 and < 500)
        {
            Interlocked.Increment(ref counts.ClientErrors);
        }
        else if (status >= 500)
        {
            Interlocked.Increment(ref counts.ServerErrors);
        }

        Interlocked.Increment(ref counts.Buckets[LatencyBuckets.IndexOf(elapsed.TotalMilliseconds)]);
    }

    /// <summary>The report to send: the one still unanswered, else everything counted since the last one (null when nothing was).</summary>
    public RequestStatsReport? Next()
    {
        if (_waiting is not null)
        {
            return _waiting;
        }

        var current = MinuteOf(time.GetUtcNow());
        var minutes = new List<RequestMinute>();
        foreach (var ((tenant, minute), counts) in _pending)
        {
            // Exchange, not remove: a request counting right now lands in this report or the next.
            var requests = Interlocked.Exchange(ref counts.Requests, 0);
            var buckets = new long[LatencyBuckets.Count];
            for (var i = 0; i < buckets.Length; i++)
            {
                buckets[i] = Interlocked.Exchange(ref counts.Buckets[i], 0);
            }

            var row = new RequestMinute
            {
                TenantId = tenant,
                Minute = DateTimeOffset.FromUnixTimeSeconds(minute * 60),
                Requests = requests,
                ClientErrors = Interlocked.Exchange(ref counts.ClientErrors, 0),
                ServerErrors = Interlocked.Exchange(ref counts.ServerErrors, 0),
                LatencyBuckets = buckets,
            };
            if (row.Requests > 0 || row.ClientErrors > 0 || row.ServerErrors > 0 || buckets.Any(b => b > 0))
            {
                minutes.Add(row);
            }

            // Requests are counted in the minute they end, so nothing adds to a minute two minutes gone.
            if (minute < current - 1)
            {
                _pending.TryRemove((tenant, minute), out _);
            }
        }

        _waiting = minutes.Count == 0 ? null : new RequestStatsReport { Id = Guid.NewGuid().ToString("N"), Minutes = minutes };
        return _waiting;
    }

    /// <summary>The report from <see cref="Next"/> was applied (or refused for good): the next one is new.</summary>
    public void Done() => _waiting = null;

    private static long MinuteOf(DateTimeOffset time) => time.ToUnixTimeSeconds() / 60;

    private sealed class Counts
    {
        public long Requests;
        public long ClientErrors;
        public long ServerErrors;
        public readonly long[] Buckets = new long[LatencyBuckets.Count];
    }
}
