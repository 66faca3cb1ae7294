using Microsoft.EntityFrameworkCore;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Tenants;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Usage;

/// <summary>
/// Stores the gateways' usage reports (summed per tenant and UTC day) and answers the month's totals that the
/// gateways enforce quotas with. Refused credentials arrive apart (<see cref="AuthFailureIntake"/>).
/// </summary>
public sealed class UsageStore(ControlPlaneDbContext db, TimeProvider time)
{
    /// <summary>Most entries in one report.</summary>
    public const int MaxReportEntries = 100_000;

    /// <summary>How long a report id is remembered: far longer than a gateway retries one.</summary>
    public static readonly TimeSpan ReceiptRetention = TimeSpan.FromDays(7);

    /// <summary>Adds a report in one transaction and returns the month's totals of its tenants.</summary>
    public async Task<UsageReportResponse> RecordAsync(UsageReport report, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        Validate(report);
        var today = Today();
        var tenantIds = report.Usage.Select(u => u.TenantId).Distinct(StringComparer.Ordinal).ToList();
        // A tenant deleted since the request was counted has nothing left to bill.
        var known = (await db.Tenants.Where(t => tenantIds.Contains(t.Id)).Select(t => t.Id).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await FirstDeliveryAsync(report.Id, ct))
        {
            // Applied before (its answer was lost): answer the totals again and add nothing.
            await transaction.CommitAsync(ct);
            return await TotalsAsync(known, today, ct);
        }

        foreach (var delta in report.Usage.Where(u => known.Contains(u.TenantId)))
        {
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                INSERT INTO usage_records (tenant_id, day, read_units, write_units)
                VALUES ({delta.TenantId}, {delta.Day}, {delta.ReadUnits}, {delta.WriteUnits})
                ON CONFLICT (tenant_id, day) DO UPDATE
                SET read_units = usage_records.read_units + excluded.read_units,
                    write_units = usage_records.write_units + excluded.write_units
                """, ct);
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return await TotalsAsync(known, today, ct);
    }

    /// <summary>Per-day units of a tenant from <paramref name="from"/> to <paramref name="to"/> (UTC days, inclusive; default: this month).</summary>
    public async Task<TenantUsage> GetAsync(string tenantId, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var today = Today();
        var first = from ?? new DateOnly(today.Year, today.Month, 1);
        var last = to ?? today;
        if (first > last)
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, "'from' must not be after 'to'.");
        }

        if (last.DayNumber - first.DayNumber > 366)
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, "Ask for at most 366 days at once.");
        }

        var plan = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.Plan).SingleOrDefaultAsync(ct)
            ?? throw new ProblemException(ProblemCatalog.NotFound, $"Tenant '{tenantId}' does not exist.");
        var rows = await db.UsageRecords.AsNoTracking()
            .Where(u => u.TenantId == tenantId && u.Day >= first && u.Day <= last)
            .OrderBy(u => u.Day)
            .Select(u => new { u.Day, u.ReadUnits, u.WriteUnits, u.StorageByteSeconds })
            .ToListAsync(ct);
        var days = rows.Select(u => new UsageDay { Day = u.Day, ReadUnits = u.ReadUnits, WriteUnits = u.WriteUnits, StorageGbHours = GbHours(u.StorageByteSeconds) }).ToList();
        return new TenantUsage
        {
            TenantId = tenantId,
            From = first,
            To = last,
            ReadUnits = days.Sum(d => d.ReadUnits),
            WriteUnits = days.Sum(d => d.WriteUnits),
            StorageGbHours = GbHours(rows.Sum(u => u.StorageByteSeconds)),
            MonthlyReadUnitsQuota = plan.MonthlyReadUnits,
            MonthlyWriteUnitsQuota = plan.MonthlyWriteUnits,
            Days = days,
        };
    }

    /// <summary>Records the report's id; false when it was recorded before. Forgets ids past their retention.</summary>
    private async Task<bool> FirstDeliveryAsync(string? reportId, CancellationToken ct)
    {
        if (reportId is null)
        {
            return true;
        }

        var now = time.GetUtcNow();
        await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM usage_report_receipts WHERE received_at < {now - ReceiptRetention}", ct);
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO usage_report_receipts (id, received_at) VALUES ({reportId}, {now}) ON CONFLICT (id) DO NOTHING", ct);
        return inserted == 1;
    }

    private async Task<UsageReportResponse> TotalsAsync(HashSet<string> tenantIds, DateOnly today, CancellationToken ct)
    {
        var month = new DateOnly(today.Year, today.Month, 1);
        var totals = await db.UsageRecords
            .Where(u => tenantIds.Contains(u.TenantId) && u.Day >= month)
            .GroupBy(u => u.TenantId)
            .Select(g => new MonthlyUsage { TenantId = g.Key, Month = month, ReadUnits = g.Sum(u => u.ReadUnits), WriteUnits = g.Sum(u => u.WriteUnits) })
            .ToListAsync(ct);
        return new UsageReportResponse { Months = totals };
    }

    private void Validate(UsageReport report)
    {
        if (report.Usage.Count > MaxReportEntries)
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, $"A report holds at most {MaxReportEntries} entries.");
        }

        if (report.Id is { } id && (id.Length is 0 or > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, "'id' must be 1 to 64 letters, digits, '-' or '_'.");
        }

        var today = Today();
        foreach (var delta in report.Usage)
        {
            if (string.IsNullOrEmpty(delta.TenantId) || delta.ReadUnits < 0 || delta.WriteUnits < 0)
            {
                throw new ProblemException(ProblemCatalog.InvalidRequest, "Each usage entry needs a 'tenant_id' and non-negative units.");
            }

            // A gateway reports within seconds; a day far off is a bug or a forgery, not usage.
            if (Math.Abs(delta.Day.DayNumber - today.DayNumber) > 2)
            {
                throw new ProblemException(ProblemCatalog.InvalidRequest, $"Usage for {delta.Day:yyyy-MM-dd} is too far from today.");
            }
        }
    }

    /// <summary>GB-hours of byte-seconds (10^9 bytes for 3,600 seconds).</summary>
    public static double GbHours(long byteSeconds) => byteSeconds / (Billing.Pricing.BytesPerGb * 3600.0);

    private DateOnly Today() => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
}
