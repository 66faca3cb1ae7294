using System.Text.Json;
using Piramid.Engine.Commands;
using Piramid.Engine.Filtering;
using Piramid.Engine.Idempotency;
using Piramid.Engine.Metadata;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Collections;

/// <summary>
/// Writes: validate outside the lock, log and apply under it, wait for durability after it. A write with an
/// idempotency key claims the key after validation (a repeat replays the first result) and records it in the same
/// log record as the write, so a crash never separates them.
/// </summary>
public sealed partial class Collection
{
    /// <summary>Upserts a batch, all or nothing; returns once it is durable under the policy.</summary>
    public Task<WriteResult> UpsertAsync(UpsertPoints command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ThrowIfUnavailable();
        var points = PointValidator.PrepareUpsert(command.Points, Config, _options.MaxMetadataBytes, _options.MaxVectorValue);
        return IdempotentAsync(command.Idempotency, idempotency => UpsertAsync(points, idempotency, cancellationToken), cancellationToken);
    }

    private async Task<WriteResult> UpsertAsync(List<PreparedPoint> points, WriteIdempotency? idempotency, CancellationToken cancellationToken)
    {
        await WaitForLinkerAsync(cancellationToken);
        var payload = PointRecordCodec.EncodeUpsert(points);
        long lsn;
        List<int>? toLink = null;
        _lock.EnterWriteLock();
        try
        {
            ThrowIfUnavailable();
            _health.ThrowIfReadOnly();
            long added = 0;
            foreach (var p in points)
            {
                added += _store.Contains(p.Id) ? 0 : 1;
            }

            _quotas.CheckWrite(added);
            MemoryGuard.CheckWrite(payload.Length);
            ReserveLocked(added);
            lsn = AppendLocked(PointRecordCodec.UpsertType, payload, idempotency, points.Count);
            foreach (var p in points)
            {
                if (_store.Upsert(p) is int slot and >= 0)
                {
                    (toLink ??= new List<int>(points.Count)).Add(slot);
                }
            }

            QueueLinksLocked(toLink);
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        await WaitDurableAsync(lsn, cancellationToken);
        return new WriteResult(points.Count, lsn);
    }

    /// <summary>Merges a metadata patch and/or replaces the vector of one point.</summary>
    public Task<WriteResult> UpdateAsync(UpdatePoint command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ThrowIfUnavailable();
        var id = PointValidator.CheckId(command.Id, "id");
        var hasPatch = command.Metadata.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);
        if (command.Vector is null && !hasPatch)
        {
            throw EngineException.Invalid("Give 'vector', 'metadata' or both.");
        }

        if (hasPatch && command.Metadata.ValueKind != JsonValueKind.Object)
        {
            throw EngineException.Invalid("'metadata' must be a JSON object (a merge patch).");
        }

        var vector = command.Vector is null ? null : CheckVector(command.Vector, "vector");
        return IdempotentAsync(command.Idempotency, idempotency => UpdateAsync(id, vector, hasPatch ? command.Metadata : null, idempotency, cancellationToken), cancellationToken);
    }

    private async Task<WriteResult> UpdateAsync(string id, float[]? vector, JsonElement? patch, WriteIdempotency? idempotency, CancellationToken cancellationToken)
    {
        await WaitForLinkerAsync(cancellationToken);
        long lsn;
        var toLink = -1;
        _lock.EnterWriteLock();
        try
        {
            ThrowIfUnavailable();
            _health.ThrowIfReadOnly();
            if (!_store.TryGet(id, out var entry))
            {
                throw EngineException.NotFound($"Point '{id}' does not exist in collection '{Config.Name}'.");
            }

            var metadata = PointStore.MetadataBytesOf(entry);
            if (patch is { } p)
            {
                metadata = MergeMetadata(metadata, p);
            }

            var point = new PreparedPoint(id, vector ?? _store.VectorOf(entry), metadata);
            _quotas.CheckWrite(0);
            lsn = AppendLocked(PointRecordCodec.UpsertType, PointRecordCodec.EncodeUpsert([point]), idempotency, 1);
            toLink = _store.Upsert(point);
            QueueLinksLocked(toLink >= 0 ? [toLink] : null);
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        await WaitDurableAsync(lsn, cancellationToken);
        return new WriteResult(1, lsn);
    }

    /// <summary>Deletes by ids or by filter (exactly one of them); missing ids are ignored.</summary>
    public Task<WriteResult> DeleteAsync(DeletePoints command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ThrowIfUnavailable();
        var hasFilter = command.Filter.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);
        if (command.All && (command.Ids is not null || hasFilter))
        {
            throw EngineException.Invalid("'all': true deletes every point; send it alone, without 'ids' or 'filter'.");
        }

        if (!command.All && (command.Ids is null) == !hasFilter)
        {
            throw EngineException.Invalid("Give exactly one of 'ids', 'filter' or 'all': true.");
        }

        var ids = command.Ids is null ? null : PointValidator.CheckIds(command.Ids, "ids");
        var filter = command.All ? CompileFilter(default) : hasFilter ? CompileFilter(command.Filter) : null;
        if (!command.All && filter is { MatchesAll: true })
        {
            // {} (or one that folds to it, like {"$and":[{}]}) would empty the collection: make the client say so.
            throw EngineException.Invalid(
                "'filter' matches every point; to delete every point send {\"all\": true} instead of a filter.");
        }

        return IdempotentAsync(command.Idempotency, idempotency => DeleteAsync(ids, filter, idempotency, cancellationToken), cancellationToken);
    }

    private async Task<WriteResult> DeleteAsync(IReadOnlyList<string>? ids, CompiledFilter? filter, WriteIdempotency? idempotency, CancellationToken cancellationToken)
    {
        long lsn;
        List<string> doomed;
        _lock.EnterWriteLock();
        try
        {
            ThrowIfUnavailable();
            _health.ThrowIfReadOnly();
            doomed = ids is not null
                ? ids.Where(_store.Contains).Distinct(StringComparer.Ordinal).ToList()
                : _store.Entries.Where(p => filter!.Matches(p.Metadata)).Select(p => p.Id).ToList();
            if (doomed.Count == 0 && idempotency is null)
            {
                // Nothing to log; the reply's LSN still orders this call after every earlier write.
                lsn = _wal!.LastLsn;
            }
            else
            {
                // With a key an empty delete is logged too: the key and its answer must survive a crash.
                lsn = AppendLocked(PointRecordCodec.DeleteType, PointRecordCodec.EncodeDelete(doomed), idempotency, doomed.Count);
                foreach (var id in doomed)
                {
                    _store.Delete(id);
                }
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        await WaitDurableAsync(lsn, cancellationToken);
        return new WriteResult(doomed.Count, lsn);
    }

    private byte[]? MergeMetadata(byte[]? existing, JsonElement patch)
    {
        try
        {
            var merged = MetadataRules.Merge(existing, patch, _options.MaxMetadataBytes);
            if (merged is not null && Config.Schema is not null)
            {
                using var doc = JsonDocument.Parse(merged);
                Config.Schema.Validate(doc.RootElement);
            }

            return merged;
        }
        catch (MetadataException e)
        {
            throw EngineException.Invalid($"'metadata': {e.Message}");
        }
    }

    /// <summary>Compiles a filter against this collection's schema, so a wrongly typed operand is refused.</summary>
    internal CompiledFilter CompileFilter(JsonElement filter)
    {
        try
        {
            return CompiledFilter.Compile(filter, Config.Schema);
        }
        catch (FilterException e)
        {
            throw EngineException.InvalidFilter(e.Message, e);
        }
    }

    // Runs a write, or replays the remembered result of the same idempotent request (after it is durable too).
    private async Task<WriteResult> IdempotentAsync(
        WriteIdempotency? idempotency, Func<WriteIdempotency?, Task<WriteResult>> execute, CancellationToken cancellationToken)
    {
        if (idempotency is null)
        {
            return await execute(null);
        }

        idempotency.Validate();
        if (await _idempotency.ClaimAsync(IdempotencyOwner, idempotency, cancellationToken) is { } replay)
        {
            ThrowIfUnavailable();
            await WaitDurableAsync(replay.Lsn, cancellationToken);
            return replay;
        }

        try
        {
            return await execute(idempotency);
        }
        catch
        {
            // Refused before it was logged (quota, storage, a missing point): the key stays free for a retry.
            // After the log append the record is complete and this does nothing.
            _idempotency.Abandon(IdempotencyOwner, idempotency);
            throw;
        }
    }

    // Appends under the write lock; an idempotent write's key is logged in the same record and remembered at once.
    private long AppendLocked(byte type, byte[] payload, WriteIdempotency? idempotency, long count)
    {
        if (idempotency is null)
        {
            return AppendLocked(type, payload);
        }

        var executedAt = _options.Time.GetUtcNow();
        var lsn = AppendLocked(type, IdempotencyCodec.Wrap(idempotency, count, executedAt, payload));
        _idempotency.Complete(IdempotencyOwner, idempotency, count, lsn, executedAt);
        return lsn;
    }

    private long AppendLocked(byte type, byte[] payload)
    {
        try
        {
            return _wal!.Append(type, payload);
        }
        catch (StorageFailedException e)
        {
            _health.MarkFailed(e.Message);
            throw EngineException.InsufficientStorage("The write could not be logged; nothing was stored.", e);
        }
    }

    private async Task WaitDurableAsync(long lsn, CancellationToken cancellationToken)
    {
        try
        {
            await _wal!.WaitDurableAsync(lsn, cancellationToken);
        }
        catch (StorageFailedException e)
        {
            _health.MarkFailed(e.Message);
            throw EngineException.InsufficientStorage(
                "The write could not be made durable and is not acknowledged; the engine is read-only until storage recovers.", e);
        }
    }

    // The big allocations of an upsert (vector slab, slot table, graph arrays) happen before its record is logged: out of
    // memory here refuses the write whole (507) rather than leaving a logged record half applied in memory.
    private void ReserveLocked(long added)
    {
        try
        {
            _store.Reserve(added);
        }
        catch (OutOfMemoryException e)
        {
            throw EngineException.InsufficientMemory(
                $"The engine's memory limit ({MemoryGuard.Limit} bytes) leaves no room for {added} more points. Nothing was stored. " +
                "Delete points or collections, or ask the operator for a larger memory limit.", e);
        }
    }
}
