using System.Collections.Concurrent;
using Piramid.Contracts.Admin;

namespace Piramid.Gateway.Usage;

/// <summary>
/// Counts request units per tenant and UTC day in memory until the next report, and holds the month's
/// stored totals the control plane returned, so the quota check is stored + not yet delivered (counted, or
/// drained into a report still in flight or waiting to be sent again). Between a
/// gateway's start and its first report for a tenant, only the local count is known: a restart can let
/// through at most one report interval's worth beyond the quota.
/// </summary>
public sealed class UsageMeter(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<DateOnly, Counter>> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, MonthlyUsage> _stored = new(StringComparer.Ordinal);
    // The drained report's entries by tenant, so the per-request quota check looks up one tenant's few days.
    private volatile Dictionary<string, UsageDelta[]> _undelivered = new(StringComparer.Ordinal);

    /// <summary>Bytes of answer per read unit.</summary>
    public const long ReadUnitBytes = 64 * 1024;

    /// <summary>Bytes of request body per write unit.</summary>
    public const long WriteUnitBytes = 1024;

    /// <summary>Read units of a successful read: one per started 64 KiB of the answer's body, at least one.</summary>
    public static long ReadUnitsFor(long answerBytes) => Math.Max(1, (answerBytes + ReadUnitBytes - 1) / ReadUnitBytes);

    /// <summary>Write units of a successful write: one per started KiB of the body received, at least one.</summary>
    public static long WriteUnitsFor(long bodyBytes) => Math.Max(1, (bodyBytes + WriteUnitBytes - 1) / WriteUnitBytes);

    /// <summary>Adds units for a tenant today.</summary>
    public void Add(string tenantId, long readUnits, long writeUnits) => AddTo(tenantId, Today(), readUnits, writeUnits);

    /// <summary>Which monthly quota the tenant has used up for this kind of request, or null.</summary>
    public string? ExhaustedQuota(string tenantId, bool write, PlanInfo plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var quota = write ? plan.MonthlyWriteUnits : plan.MonthlyReadUnits;
        if (quota is not > 0)
        {
            return null;
        }

        var today = Today();
        var month = new DateOnly(today.Year, today.Month, 1);
        var used = 0L;
        if (_stored.TryGetValue(tenantId, out var stored) && stored.Month == month)
        {
            used = write ? stored.WriteUnits : stored.ReadUnits;
        }

        if (_undelivered.TryGetValue(tenantId, out var drained))
        {
            foreach (var delta in drained)
            {
                used += delta.Day >= month ? (write ? delta.WriteUnits : delta.ReadUnits) : 0;
            }
        }

        if (_pending.TryGetValue(tenantId, out var days))
        {
            foreach (var (day, counter) in days)
            {
                used += day >= month ? (write ? Volatile.Read(ref counter.Write) : Volatile.Read(ref counter.Read)) : 0;
            }
        }

        return used >= quota ? (write ? "monthly_write_units" : "monthly_read_units") : null;
    }

    /// <summary>
    /// Takes everything counted so far into a report. Its units still count against quotas until
    /// <see cref="Delivered"/>; one report is out at a time (the reporter sends the same one again until it is).
    /// </summary>
    public IReadOnlyList<UsageDelta> Drain()
    {
        var taken = new List<UsageDelta>();
        var today = Today();
        foreach (var (tenant, days) in _pending)
        {
            foreach (var (day, counter) in days)
            {
                // Exchange, not swap the dictionary: a request adding right now lands in this report or the next.
                var read = Interlocked.Exchange(ref counter.Read, 0);
                var write = Interlocked.Exchange(ref counter.Write, 0);
                if (read > 0 || write > 0)
                {
                    taken.Add(new UsageDelta { TenantId = tenant, Day = day, ReadUnits = read, WriteUnits = write });
                }

                // Nothing adds to a day two days gone, so its counter can go.
                if (day.DayNumber < today.DayNumber - 1)
                {
                    days.TryRemove(day, out _);
                }
            }
        }

        _undelivered = taken.GroupBy(d => d.TenantId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        return taken;
    }

    /// <summary>The drained report was applied: its units are now in the control plane's month totals.</summary>
    public void Delivered(IEnumerable<MonthlyUsage> months)
    {
        ArgumentNullException.ThrowIfNull(months);
        foreach (var month in months)
        {
            _stored[month.TenantId] = month;
        }

        _undelivered = new(StringComparer.Ordinal);
    }

    private void AddTo(string tenantId, DateOnly day, long readUnits, long writeUnits)
    {
        var counter = _pending.GetOrAdd(tenantId, static _ => new ConcurrentDictionary<DateOnly, Counter>()).GetOrAdd(day, static _ => new Counter());
        Interlocked.Add(ref counter.Read, readUnits);
        Interlocked.Add(ref counter.Write, writeUnits);
    }

    private DateOnly Today() => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    private sealed class Counter
    {
        public long Read;
        public long Write;
    }
}
