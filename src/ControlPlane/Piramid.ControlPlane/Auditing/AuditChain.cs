using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Auditing;

/// <summary>
/// Links control-plane audit events into one hash chain per tenant (and one for events of no tenant) as they are
/// saved: each gets the next sequence of its chain, the chain's previous hash and its own hash. The chain's head row
/// (<c>audit_chain_heads</c>) is locked <c>FOR UPDATE</c> in the saving transaction, so concurrent writers of one
/// tenant take turns and never fork the chain; chains are locked in name order, so two writers never deadlock.
/// Unchained events (<c>auth.failed*</c>) lock their tenant's head too: the insert trigger gives every event its
/// control log position (<see cref="AuditEvent.LogSeq"/>) from the same row, and locking it here first keeps the name
/// order (the trigger then updates a row this transaction already holds).
/// </summary>
public static class AuditChain
{
    /// <summary>The chain of events that concern no tenant.</summary>
    public const string PlatformChain = "";

    /// <summary>
    /// Whether events of <paramref name="action"/> are chained. Refusal counts (<c>auth.failed*</c>) are not: retention
    /// folds them into per-period counts (deleting and updating rows), which a chain would report as tampering.
    /// </summary>
    public static bool IsChained(string action) => !action.StartsWith("auth.failed", StringComparison.Ordinal);

    /// <summary>True when the unit of work holds events to chain.</summary>
    public static bool HasPending(DbContext db) => Pending(db).Any();

    /// <summary>Links the pending events; call inside the transaction that saves them.</summary>
    public static async Task LinkAsync(DbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var transaction = (NpgsqlTransaction)(db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Audit events are chained inside a transaction."));
        var connection = transaction.Connection!;
        foreach (var chain in Pending(db).GroupBy(e => e.TenantId ?? PlatformChain).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var (seq, hash) = await LockHeadAsync(connection, transaction, chain.Key, ct);
            if (!chain.Any(e => IsChained(e.Action)))
            {
                continue;
            }

            foreach (var e in chain.Where(e => IsChained(e.Action)))
            {
                e.Time = ControlEntryHash.ToStoredPrecision(e.Time);
                e.ChainSeq = ++seq;
                e.PrevHash = hash;
                e.Hash = hash = ControlEntryHash.Compute(e);
            }

            await using var update = new NpgsqlCommand("UPDATE audit_chain_heads SET seq = @seq, hash = @hash WHERE chain = @chain", connection, transaction);
            update.Parameters.AddWithValue("seq", seq);
            update.Parameters.AddWithValue("hash", hash);
            update.Parameters.AddWithValue("chain", chain.Key);
            await update.ExecuteNonQueryAsync(ct);
        }
    }

    // Events added to the unit of work, in the order EF inserts them (so log positions, which the export follows, run in
    // chain order): it sorts one table's inserts by key, here the temporary ids it handed out in the order of Add.
    private static IEnumerable<AuditEvent> Pending(DbContext db) =>
        db.ChangeTracker.Entries<AuditEvent>().Where(e => e.State == EntityState.Added)
            .OrderBy(e => e.Property(a => a.Id).CurrentValue).Select(e => e.Entity);

    private static async Task<(long Seq, string Hash)> LockHeadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string chain, CancellationToken ct)
    {
        await using (var create = new NpgsqlCommand(
            "INSERT INTO audit_chain_heads (chain, seq, hash) VALUES (@chain, 0, @zero) ON CONFLICT (chain) DO NOTHING", connection, transaction))
        {
            create.Parameters.AddWithValue("chain", chain);
            create.Parameters.AddWithValue("zero", ControlEntryHash.Zero);
            await create.ExecuteNonQueryAsync(ct);
        }

        await using var command = new NpgsqlCommand("SELECT seq, hash FROM audit_chain_heads WHERE chain = @chain FOR UPDATE", connection, transaction);
        command.Parameters.AddWithValue("chain", chain);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            throw new InvalidOperationException($"The audit chain head '{chain}' could not be read.");
        }

        return (reader.GetInt64(0), reader.GetString(1));
    }
}
