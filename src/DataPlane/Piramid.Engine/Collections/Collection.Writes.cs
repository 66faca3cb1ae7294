using System.Text.Json;
using Piramid.Contracts.Points;
using Piramid.Engine.Filtering;
using Piramid.Engine.Metadata;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Collections;

/// <summary>Writes: validate outside the lock, log and apply under it, wait for durability after it.</summary>
public sealed partial class Collection
{
    /// <summary>Upserts a batch, all or nothing; returns once it is durable under the policy.</summary>
    public async Task<WriteResult> UpsertAsync(UpsertPointsRequest request, CancellationToken cancellationToken = default)
    {
        ThrowIfUnavailable();
        var points = PointValidator.PrepareUpsert(request, Config, _options.MaxMetadataBytes, _options.MaxVectorValue);
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
            lsn = AppendLocked(PointRecordCodec.UpsertType, payload);
            foreach (var p in points)
            {
                if (_store.Upsert(p) is int slot and >= 0)
                {
                    (toLink ??= new List<int>(points.Count)).Add(slot);
                }
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        LinkOutsideWriteLock(toLink);
        await WaitDurableAsync(lsn, cancellationToken);
        return new WriteResult(points.Count, lsn);
    }

    /// <summary>Merges a metadata patch and/or replaces the vector of one point.</summary>
    public async Task<WriteResult> UpdateAsync(string id, UpdatePointRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ThrowIfUnavailable();
        PointValidator.CheckId(id, "id");
        var hasPatch = request.Metadata.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);
        if (request.Vector is null && !hasPatch)
        {
            throw EngineException.Invalid("Give 'vector', 'metadata' or both.");
        }

        if (hasPatch && request.Metadata.ValueKind != JsonValueKind.Object)
        {
            throw EngineException.Invalid("'metadata' must be a JSON object (a merge patch).");
        }

        var vector = request.Vector is null ? null : CheckVector(request.Vector, "vector");
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
            if (hasPatch)
            {
                metadata = MergeMetadata(metadata, request.Metadata);
            }

            var point = new PreparedPoint(id, vector ?? _store.VectorOf(entry), metadata);
            _quotas.CheckWrite(0);
            lsn = AppendLocked(PointRecordCodec.UpsertType, PointRecordCodec.EncodeUpsert([point]));
            toLink = _store.Upsert(point);
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        LinkOutsideWriteLock(toLink >= 0 ? [toLink] : null);
        await WaitDurableAsync(lsn, cancellationToken);
        return new WriteResult(1, lsn);
    }

    /// <summary>Deletes by ids or by filter (exactly one of them); missing ids are ignored.</summary>
    public async Task<WriteResult> DeleteAsync(DeletePointsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ThrowIfUnavailable();
        var hasFilter = request.Filter.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);
        if (request.All && (request.Ids is not null || hasFilter))
        {
            throw EngineException.Invalid("'all': true deletes every point; send it alone, without 'ids' or 'filter'.");
        }

        if (!request.All && (request.Ids is null) == !hasFilter)
        {
            throw EngineException.Invalid("Give exactly one of 'ids', 'filter' or 'all': true.");
        }

        var ids = request.Ids is null ? null : PointValidator.CheckIds(request.Ids, "ids");
        var filter = request.All ? CompileFilter(default) : hasFilter ? CompileFilter(request.Filter) : null;
        if (!request.All && filter is { MatchesAll: true })
        {
            // {} (or one that folds to it, like {"$and":[{}]}) would empty the collection: make the client say so.
            throw EngineException.Invalid(
                "'filter' matches every point; to delete every point send {\"all\": true} instead of a filter.");
        }

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
            if (doomed.Count == 0)
            {
                // Nothing to log; the reply's LSN still orders this call after every earlier write.
                lsn = _wal!.LastLsn;
            }
            else
            {
                lsn = AppendLocked(PointRecordCodec.DeleteType, PointRecordCodec.EncodeDelete(doomed));
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

    // Links new graph nodes under the read lock, one at a time, so searches go on meanwhile and a writer that
    // queues for the write lock waits for one node's links at most, not a whole batch.
    private void LinkOutsideWriteLock(List<int>? slots)
    {
        if (slots is null || _store.Index is null)
        {
            return;
        }

        foreach (var slot in slots)
        {
            _lock.EnterReadLock();
            try
            {
                if (_closed)
                {
                    return;
                }

                _store.Link(slot);
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }
}
