using Microsoft.EntityFrameworkCore;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Data;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Keys;

/// <summary>
/// Stores the gateway's batched key uses as <c>last_used_at</c>, to the minute and only ever forward: a late or
/// repeated report cannot move a key's last use back, and a time ahead of the control plane's clock is taken as now.
/// </summary>
public sealed class KeyUseIntake(ControlPlaneDbContext db, TimeProvider time)
{
    /// <summary>Most keys in one report (the gateway sends at most this many per interval).</summary>
    public const int MaxKeys = 10_000;

    /// <summary>Applies a report; unknown key ids are ignored (the key may have been deleted since).</summary>
    public async Task RecordAsync(KeyUseReport report, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.KeyLastUsed is null || report.KeyLastUsed.Count > MaxKeys)
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, $"'key_last_used' must map at most {MaxKeys} key ids to times.");
        }

        if (report.KeyLastUsed.Keys.Any(id => string.IsNullOrEmpty(id) || id.Length > 64))
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, "Every key id in 'key_last_used' must have 1 to 64 characters.");
        }

        var now = ToMinute(time.GetUtcNow());
        foreach (var (keyId, used) in report.KeyLastUsed)
        {
            var minute = ToMinute(used);
            var at = minute > now ? now : minute;
            await db.ApiKeys
                .Where(k => k.Id == keyId && (k.LastUsedAt == null || k.LastUsedAt < at))
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, at), ct);
        }
    }

    /// <summary>The time, truncated to the minute, in UTC.</summary>
    public static DateTimeOffset ToMinute(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
    }
}
