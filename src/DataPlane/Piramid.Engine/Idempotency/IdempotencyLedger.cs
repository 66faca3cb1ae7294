using System.Security.Cryptography;
using Piramid.Engine.Commands;

namespace Piramid.Engine.Idempotency;

/// <summary>
/// The engine's remembered idempotent writes, for every collection (an owner is a collection's directory id).
/// A write claims its key before it executes: concurrent first requests with one key wait for the one that
/// claimed it and then replay its result. The record is completed under the collection's write lock, right after
/// its log record is appended, so a checkpoint (taken under the read lock) holds exactly the records of the log it
/// covers. Records expire <see cref="Retention"/> after they were executed, and at most <see cref="MaxKeys"/> are
/// kept: the oldest are dropped first, so memory stays bounded (about 400 bytes per key).
/// </summary>
internal sealed class IdempotencyLedger
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Owner, string Scope, string Key), Entry> _entries = [];
    private readonly LinkedList<(string Owner, string Scope, string Key)> _oldestFirst = new();
    private readonly TimeProvider _time;

    public IdempotencyLedger(TimeSpan retention, int maxKeys, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retention, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxKeys, 1);
        Retention = retention;
        MaxKeys = maxKeys;
        _time = time;
    }

    /// <summary>How long a record is replayed after its write.</summary>
    public TimeSpan Retention { get; }

    /// <summary>Most records kept across the engine.</summary>
    public int MaxKeys { get; }

    /// <summary>Completed records held now (for tests and metrics).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _oldestFirst.Count;
            }
        }
    }

    /// <summary>
    /// Claims the key for a first execution (returns null: the caller executes, then calls <see cref="Complete"/>
    /// or <see cref="Abandon"/>), or returns the remembered result of the same request. The same key with another
    /// request hash throws (idempotency key reused). A request whose key is being executed waits for it.
    /// </summary>
    public async ValueTask<WriteResult?> ClaimAsync(string owner, WriteIdempotency request, CancellationToken cancellationToken)
    {
        var id = (owner, request.Scope, request.Key);
        while (true)
        {
            Task pending;
            lock (_lock)
            {
                if (!_entries.TryGetValue(id, out var entry) || DropIfExpired(id, entry))
                {
                    _entries[id] = new Entry(request.RequestHash);
                    return null;
                }

                if (!CryptographicOperations.FixedTimeEquals(entry.Hash, request.RequestHash))
                {
                    throw EngineException.IdempotencyKeyReused(
                        $"The idempotency key '{request.Key}' was used for a different request; use a new key for a new request.");
                }

                if (entry.Done is { } done)
                {
                    return new WriteResult(done.Count, done.Lsn);
                }

                pending = entry.Executed.Task;
            }

            // The first request finished (or failed, and then one of the waiters claims the key): look again.
            await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Records the result of a claimed write; called under the collection's write lock after its log append.</summary>
    public void Complete(string owner, WriteIdempotency request, long count, long lsn, DateTimeOffset executedAt)
    {
        var id = (owner, request.Scope, request.Key);
        lock (_lock)
        {
            if (!_entries.TryGetValue(id, out var entry) || entry.Done is not null)
            {
                return; // Forgotten meanwhile: its collection was deleted.
            }

            entry.Done = new IdempotencyRecord(request.Scope, request.Key, request.RequestHash, count, lsn, executedAt);
            entry.Node = _oldestFirst.AddLast(id);
            TrimLocked();
            entry.Executed.TrySetResult();
        }
    }

    /// <summary>Releases a claim whose write failed before it was logged: the key stays free.</summary>
    public void Abandon(string owner, WriteIdempotency request)
    {
        var id = (owner, request.Scope, request.Key);
        lock (_lock)
        {
            if (_entries.TryGetValue(id, out var entry) && entry.Done is null)
            {
                _entries.Remove(id);
                entry.Executed.TrySetResult();
            }
        }
    }

    /// <summary>Restores a record found in a checkpoint or the log (recovery); an expired one is skipped.</summary>
    public void Restore(string owner, IdempotencyRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (IsExpired(record))
        {
            return;
        }

        var id = (owner, record.Scope, record.Key);
        lock (_lock)
        {
            if (_entries.Remove(id, out var old) && old.Node is not null)
            {
                _oldestFirst.Remove(old.Node);
            }

            var entry = new Entry(record.RequestHash) { Done = record };
            entry.Executed.TrySetResult();
            entry.Node = _oldestFirst.AddLast(id);
            _entries[id] = entry;
            TrimLocked();
        }
    }

    /// <summary>The unexpired records of one owner, for its checkpoint.</summary>
    public List<IdempotencyRecord> Snapshot(string owner)
    {
        lock (_lock)
        {
            return [.. _oldestFirst.Where(id => id.Owner == owner).Select(id => _entries[id].Done!).Where(r => !IsExpired(r))];
        }
    }

    /// <summary>Forgets every record of an owner (its collection was deleted).</summary>
    public void Forget(string owner)
    {
        lock (_lock)
        {
            foreach (var id in _entries.Keys.Where(k => k.Owner == owner).ToList())
            {
                var entry = _entries[id];
                if (entry.Node is not null)
                {
                    _oldestFirst.Remove(entry.Node);
                }

                _entries.Remove(id);
                entry.Executed.TrySetResult();
            }
        }
    }

    private bool IsExpired(IdempotencyRecord record) => _time.GetUtcNow() - record.RecordedAt >= Retention;

    private bool DropIfExpired((string, string, string) id, Entry entry)
    {
        if (entry.Done is not { } done || !IsExpired(done))
        {
            return false;
        }

        _entries.Remove(id);
        _oldestFirst.Remove(entry.Node!);
        return true;
    }

    // Expired records at the head go first, then the oldest while over the bound. Insertion order is execution order
    // except after recovery, where one collection's records come after another's: close enough for a bound.
    private void TrimLocked()
    {
        while (_oldestFirst.First is { } head
            && (_oldestFirst.Count > MaxKeys || IsExpired(_entries[head.Value].Done!)))
        {
            _entries.Remove(head.Value);
            _oldestFirst.RemoveFirst();
        }
    }

    private sealed class Entry(byte[] hash)
    {
        public byte[] Hash { get; } = hash;

        public IdempotencyRecord? Done { get; set; }

        public LinkedListNode<(string Owner, string Scope, string Key)>? Node { get; set; }

        // Completes when the first execution is recorded or abandoned; continuations never run under the lock.
        public TaskCompletionSource Executed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
