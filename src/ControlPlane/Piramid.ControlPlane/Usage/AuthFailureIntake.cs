using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Tenants;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Usage;

/// <summary>
/// Files the gateways' counts of refused credentials as audit events: one <c>auth.failed</c> per reason, client
/// address and key id in a report, under the key's tenant when the key id is real, and one
/// <c>auth.failed.others</c> for what the gateway only counted. Apart from usage, so a flood never delays billing.
/// </summary>
public sealed class AuthFailureIntake(ControlPlaneDbContext db, TimeProvider time)
{
    /// <summary>Most entries in one report (the gateway sends at most its configured number, 1,000 by default).</summary>
    public const int MaxEntries = 10_000;

    private static readonly JsonSerializerOptions Json = Piramid.Contracts.Json.WireJson.Options;

    /// <summary>Validates the whole report, then adds its events in one save: a malformed report adds nothing.</summary>
    public async Task RecordAsync(AuthFailureReport report, string reporter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        Validate(report);
        var keyIds = report.Entries.Where(f => f.KeyId is not null).Select(f => f.KeyId!).Distinct(StringComparer.Ordinal).ToList();
        // A failure with a real key id belongs in that tenant's trail: someone holds the id without the secret.
        var owners = await db.ApiKeys.Where(k => keyIds.Contains(k.Id)).ToDictionaryAsync(k => k.Id, k => k.TenantId, StringComparer.Ordinal, ct);
        foreach (var entry in report.Entries)
        {
            db.AuditEvents.Add(new AuditEvent
            {
                Time = entry.LastSeen,
                Actor = reporter,
                Action = "auth.failed",
                TargetType = entry.KeyId is null ? "request" : "api_key",
                TargetId = entry.KeyId ?? "-",
                TenantId = entry.KeyId is not null && owners.TryGetValue(entry.KeyId, out var tenant) ? tenant : null,
                After = JsonSerializer.Serialize(new { entry.Reason, entry.RemoteAddress, entry.Count, entry.FirstSeen, entry.LastSeen, entry.FirstRequestId, entry.LastRequestId }, Json),
                RequestId = entry.LastRequestId,
            });
        }

        if (report.Others > 0)
        {
            db.AuditEvents.Add(new AuditEvent
            {
                Time = time.GetUtcNow(),
                Actor = reporter,
                Action = "auth.failed.others",
                TargetType = "request",
                TargetId = "-",
                After = JsonSerializer.Serialize(new { count = report.Others }, Json),
            });
        }

        await db.SaveChangesAsync(ct);
    }

    private static void Validate(AuthFailureReport report)
    {
        if (report.Entries is null || report.Entries.Count > MaxEntries)
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, $"'entries' must hold at most {MaxEntries} entries.");
        }

        if (report.Others < 0)
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, "'others' must not be negative.");
        }

        for (var i = 0; i < report.Entries.Count; i++)
        {
            var entry = report.Entries[i];
            var problem = entry switch
            {
                null => "is null",
                { Reason: null or "" } or { Reason.Length: > 32 } => "needs a 'reason' of 1 to 32 characters",
                { RemoteAddress.Length: > 64 } => "has a 'remote_address' over 64 characters",
                { KeyId.Length: > 64 } => "has a 'key_id' over 64 characters",
                { FirstRequestId.Length: > 128 } or { LastRequestId.Length: > 128 } => "has a request id over 128 characters",
                { Count: < 1 } => "needs a 'count' of at least 1",
                _ when entry.FirstSeen > entry.LastSeen => "has 'first_seen' after 'last_seen'",
                _ => null,
            };
            if (problem is not null)
            {
                throw new ProblemException(ProblemCatalog.InvalidRequest, $"entries[{i}] {problem}.");
            }
        }
    }
}
