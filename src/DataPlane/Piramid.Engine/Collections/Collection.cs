using System.Text.Json;
using Piramid.Engine.Commands;
using Piramid.Engine.Crypto;
using Piramid.Engine.Idempotency;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Collections;

/// <summary>
/// One collection: its points in memory (vectors in a flat slab, metadata parsed once), its own
/// write-ahead log and checkpoints. Writers are serialised by a reader/writer lock and only wait for
/// durability outside it, so concurrent writers share one fsync (group commit) and readers never wait
/// on the disk. The points live in a <see cref="PointStore"/>, checkpoints are encoded by <see cref="CheckpointCodec"/>,
/// searches planned by <see cref="SearchPlanner"/>; this type holds the lock, the log and the lifecycle, split by
/// concern: <c>.Writes</c>, <c>.Reads</c>, <c>.Search</c>, <c>.Recovery</c>, <c>.Checkpoint</c>, <c>.Compaction</c>.
/// </summary>
public sealed partial class Collection : IDisposable, IAsyncDisposable
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly PointStore _store;
    private readonly DataKey _key;
    private readonly EngineOptions _options;
    private readonly StorageHealth _health;
    private readonly QuotaGuard _quotas;
    private readonly IdempotencyLedger _idempotency;
    private readonly TailLinker? _linker;
    private WriteAheadLog? _wal;
    private CollectionConfig _config;
    private bool _closed;

    private Collection(string directory, CollectionConfig config, DataKey key, EngineOptions options, StorageHealth health, QuotaGuard quotas, IdempotencyLedger idempotency)
    {
        _idempotency = idempotency;
        Directory = directory;
        _config = config;
        _key = key;
        _options = options;
        _health = health;
        _quotas = quotas;
        _store = new PointStore(config);
        _linker = _store.Index is null
            ? null
            : new TailLinker(LinkOne, options.MaxUnlinkedPoints, options.LinkWorkers > 0 ? options.LinkWorkers : LinkerThread.DefaultWorkers);
    }

    /// <summary>The collection's settings (replaced whole by <see cref="UpdateSettings"/>; a search reads them once).</summary>
    public CollectionConfig Config
    {
        get => Volatile.Read(ref _config);
        private set => Volatile.Write(ref _config, value);
    }

    /// <summary>Its directory (named by a random id; the name is inside the encrypted manifest).</summary>
    public string Directory { get; }

    /// <summary>Why the collection is closed, when its storage was found damaged; null when healthy.</summary>
    public string? FailureReason { get; private set; }

    /// <summary>Live points (read without the lock; exact at quiescence).</summary>
    public long Count => _store.LiveCount;

    /// <summary>Bytes of the graph index in memory; 0 without one.</summary>
    public long IndexBytes => _store.Index?.GraphBytes ?? 0;

    /// <summary>Whose records these are in the engine's idempotency ledger: the directory's random id, unique per collection.</summary>
    internal string IdempotencyOwner => Path.GetFileName(Directory);

    private string WalDirectory => Path.Combine(Directory, "wal");

    private string CheckpointDirectory => Path.Combine(Directory, "checkpoints");

    /// <summary>Describes the collection's settings and state.</summary>
    public CollectionDescription Describe()
    {
        JsonElement? schema = null;
        if (Config.SchemaJson() is { } schemaJson)
        {
            schema = JsonDocument.Parse(schemaJson).RootElement.Clone();
        }

        return new CollectionDescription(
            Config.Name,
            Config.Dimension,
            Config.MetricName,
            new IndexSpec(Config.IndexType, Config.M, Config.EfConstruction, Config.Ef),
            Config.Quantization,
            schema,
            FailureReason is null ? null : ServerPaths.Redact(FailureReason),
            Count,
            BytesOnDisk(),
            Config.CreatedAt,
            Config.AutoIndex);
    }

    /// <summary>Bytes of every file of the collection.</summary>
    public long BytesOnDisk()
    {
        long total = 0;
        try
        {
            foreach (var file in new DirectoryInfo(Directory).EnumerateFiles("*", SearchOption.AllDirectories))
            {
                total += file.Length;
            }
        }
        catch (IOException)
        {
            // A file removed while counting (a segment dropped after a checkpoint): the next call is exact.
        }

        return total;
    }

    /// <summary>Flushes the log and closes the collection; later calls fail as if it did not exist.</summary>
    public void Dispose()
    {
        // Deleting a collection (a synchronous API call) closes it here; shutdown uses DisposeAsync.
        if (Close() is { } wal)
        {
            FlushAndClose(wal.DisposeAsync().AsTask()).GetAwaiter().GetResult();
        }
    }

    /// <summary>Flushes the log and closes the collection without blocking a thread on the final fsync.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Close() is { } wal)
        {
            await FlushAndClose(wal.DisposeAsync().AsTask());
        }
    }

    // Marks the collection closed under the write lock: from then on no write appends to the log and no link or
    // checkpoint starts, so the log can be flushed and closed outside the lock. Null when already closed.
    private WriteAheadLog? Close()
    {
        _lock.EnterWriteLock();
        try
        {
            if (_closed)
            {
                return null;
            }

            _closed = true;
            _linker?.Stop();
            return _wal;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private static async Task FlushAndClose(Task disposing)
    {
        try
        {
            await disposing;
        }
        catch (StorageFailedException)
        {
            // Nothing more can be made durable; unacknowledged writes were never promised.
        }
    }

    private void ThrowIfUnavailable()
    {
        if (_closed)
        {
            throw EngineException.NotFound($"Collection '{Config.Name}' does not exist.");
        }

        if (FailureReason is not null)
        {
            throw EngineException.CollectionUnavailable(
                $"Collection '{Config.Name}' is closed because its storage is damaged: {ServerPaths.Redact(FailureReason)} " +
                "No data was dropped; an operator must restore it from a backup or repair the log.");
        }
    }
}
