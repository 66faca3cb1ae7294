using System.Collections.Concurrent;
using System.Security.Cryptography;
using Piramid.Engine.Audit;
using Piramid.Engine.Backups;
using Piramid.Engine.Collections;
using Piramid.Engine.Commands;
using Piramid.Engine.Crypto;
using Piramid.Engine.Idempotency;
using Piramid.Engine.Storage;
using Piramid.KeyWrapping;

namespace Piramid.Engine;

/// <summary>
/// One tenant's engine: owns the data directory, the data key, the audit log and the collections.
/// Layout of the directory in docs/design/data-directory.md. Split: <c>.Maintenance</c> runs
/// checkpoints and storage revival in the background.
/// </summary>
public sealed partial class VectorEngine : IAsyncDisposable
{
    private const string TempPrefix = ".tmp-";
    private const string DeletedPrefix = ".deleted-";

    private readonly ConcurrentDictionary<string, Collection> _collections = new(StringComparer.Ordinal);
    private readonly Lock _catalogLock = new();
    private readonly DataDirectoryLock _directoryLock;
    private readonly DataKey _key;
    private readonly EngineOptions _options;
    private readonly IdempotencyLedger _idempotency;
    private readonly List<string> _unreadable = [];
    private readonly HeldLogs _heldLogs;
    private int _disposed;

    private VectorEngine(EngineOptions options, DataDirectoryLock directoryLock, DataKey key, AuditLog audit)
    {
        _options = options;
        _directoryLock = directoryLock;
        _key = key;
        Audit = audit;
        Quotas = new QuotaGuard(options.Quotas, () => _collections.Values);
        _heldLogs = HeldLogs.Open(options.DataDirectory, key);
        _idempotency = new IdempotencyLedger(options.IdempotencyRetention, options.IdempotencyMaxKeys, options.Time);
    }

    /// <summary>The tenant's audit log.</summary>
    public AuditLog Audit { get; }

    /// <summary>The write gate (read-only after a durability failure).</summary>
    public StorageHealth Health { get; } = new();

    /// <summary>Plan limits.</summary>
    public QuotaGuard Quotas { get; }

    /// <summary>Collection directories whose manifest could not be read; reported, never deleted.</summary>
    public IReadOnlyList<string> UnreadableCollections => _unreadable;

    private string CollectionsDirectory => Path.Combine(_options.DataDirectory, "collections");

    /// <summary>
    /// Opens the data directory: takes its lock, unwraps the data key (a wrong platform key throws
    /// <see cref="WrongPlatformKeyException"/>), and recovers every collection. For in-process use; the
    /// engine process gets its data key already unwrapped (<see cref="Open(EngineOptions, DataKey)"/>).
    /// </summary>
    public static VectorEngine Open(EngineOptions options, PlatformKey platformKey)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(platformKey);
        var directoryLock = DataDirectoryLock.Acquire(options.DataDirectory);
        DataKey key;
        try
        {
            key = DataKeyStore.OpenOrCreate(options.DataDirectory, platformKey);
        }
        catch
        {
            directoryLock.Dispose();
            throw;
        }

        return Open(options, directoryLock, key);
    }

    /// <summary>
    /// Opens the data directory with a data key the control plane unwrapped (the engine never sees the
    /// platform key): takes its lock and recovers every collection. The engine owns <paramref name="dataKey"/>
    /// from here on, and disposes it. A key that is not this directory's fails the first file it reads.
    /// </summary>
    public static VectorEngine Open(EngineOptions options, DataKey dataKey)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dataKey);
        DataDirectoryLock directoryLock;
        try
        {
            directoryLock = DataDirectoryLock.Acquire(options.DataDirectory);
        }
        catch
        {
            dataKey.Dispose();
            throw;
        }

        return Open(options, directoryLock, dataKey);
    }

    private static VectorEngine Open(EngineOptions options, DataDirectoryLock directoryLock, DataKey key)
    {
        try
        {
            CheckOptions(options);
        }
        catch
        {
            key.Dispose();
            directoryLock.Dispose();
            throw;
        }

        try
        {
            var profile = options.OpenProfile;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var audit = AuditLog.Open(Path.Combine(options.DataDirectory, "audit"), key, options.Time);
            var engine = new VectorEngine(options, directoryLock, key, audit);
            started = profile?.Add("audit log open", started) ?? started;
            engine.RemoveLeftoverSnapshots();
            engine.RemoveLeftoverRestores();
            profile?.Add("leftover snapshots and restores", started);
            engine.LoadCollections(); // its stages are the collections' (Collection.Recover)
            started = System.Diagnostics.Stopwatch.GetTimestamp();
            engine.StartMaintenance();
            profile?.Add("maintenance start", started);
            return engine;
        }
        catch
        {
            key.Dispose();
            directoryLock.Dispose();
            throw;
        }
    }

    /// <summary>The open collections, in no order (metrics read them at each scrape).</summary>
    public IEnumerable<Collection> Collections => _collections.Values;

    /// <summary>Every collection, by name.</summary>
    public IReadOnlyList<CollectionDescription> List() =>
        [.. _collections.Values.Select(c => c.Describe()).OrderBy(c => c.Name, StringComparer.Ordinal)];

    /// <summary>The named collection; 404 when absent.</summary>
    public Collection Get(string name) =>
        _collections.TryGetValue(name, out var c)
            ? c
            : throw EngineException.NotFound($"Collection '{name}' does not exist.");

    /// <summary>
    /// Creates a collection. Repeating a create with the same settings returns the existing one
    /// (<paramref name="created"/> false); different settings are a 409.
    /// </summary>
    public CollectionDescription Create(string name, CreateCollection request, out bool created)
    {
        ArgumentNullException.ThrowIfNull(request);
        var maxDimension = Math.Min(_options.Quotas.MaxDimension ?? Contracts.Limits.MaxDimension, Contracts.Limits.MaxDimension);
        if (request.Dimension is int d && d > maxDimension && d <= Contracts.Limits.MaxDimension)
        {
            throw EngineException.QuotaExceeded($"The plan allows vectors of at most {maxDimension} dimensions; got {d}.");
        }

        var config = CollectionConfig.FromCommand(name, request, Contracts.Limits.MaxDimension, _options.Time.GetUtcNow());
        lock (_catalogLock)
        {
            if (_collections.TryGetValue(name, out var existing))
            {
                created = false;
                return existing.Config.SameSettingsAs(config)
                    ? existing.Describe()
                    : throw EngineException.Conflict($"Collection '{name}' already exists with other settings; delete it first or use another name.");
            }

            Health.ThrowIfReadOnly();
            Quotas.CheckNewCollection(_collections.Count);
            Quotas.CheckWrite(0);
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            var temp = Path.Combine(CollectionsDirectory, TempPrefix + id);
            var final = Path.Combine(CollectionsDirectory, id);
            Collection collection;
            try
            {
                Directory.CreateDirectory(temp);
                Collection.Create(temp, config, _key, _options, Health, Quotas, _idempotency).Dispose();
                Directory.Move(temp, final);
                FileSync.SyncDirectory(CollectionsDirectory);
                collection = Collection.Open(final, _key, _options, Health, Quotas, _idempotency);
            }
            catch (IOException e)
            {
                TryDelete(temp);
                Health.MarkFailed(e.Message);
                throw EngineException.InsufficientStorage("The collection could not be created durably; nothing was stored.", e);
            }

            _collections[name] = collection;
            created = true;
            return collection.Describe();
        }
    }

    /// <summary>Changes a collection's settings that need no rebuild (<see cref="CollectionConfig.WithUpdate"/>); 404 when absent.</summary>
    public CollectionDescription Update(string name, UpdateCollection change) => Get(name).UpdateSettings(change);

    /// <summary>Deletes a collection and its files; 404 when absent.</summary>
    public void Delete(string name)
    {
        lock (_catalogLock)
        {
            if (!_collections.TryRemove(name, out var collection))
            {
                throw EngineException.NotFound($"Collection '{name}' does not exist.");
            }

            var unarchived = CloseForDrop(collection);
            _idempotency.Forget(collection.IdempotencyOwner);
            NoteDropped(collection);
            // Renamed first so a crash mid-delete never leaves a half-deleted collection that reopens.
            var doomed = Path.Combine(CollectionsDirectory, DeletedPrefix + Path.GetFileName(collection.Directory));
            Directory.Move(collection.Directory, doomed);
            FileSync.SyncDirectory(CollectionsDirectory);
            HoldUnarchived(collection, Path.Combine(doomed, "wal"), unarchived);
            TryDelete(doomed);
        }
    }

    /// <summary>
    /// Stops background work, checkpoints every collection, flushes the audit log, releases the directory. Later calls
    /// do nothing (a host may close the engine when it stops and its container dispose it again).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopMaintenanceAsync();
        foreach (var collection in _collections.Values)
        {
            collection.Checkpoint();
            await collection.DisposeAsync();
        }

        _collections.Clear();
        Audit.Flush();
        Audit.Dispose();
        _key.Dispose();
        _directoryLock.Dispose();
    }

    // Options the host validated at start are checked again here, so an in-process host cannot open a bad engine.
    private static void CheckOptions(EngineOptions options)
    {
        if (options.IdempotencyRetention <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.IdempotencyRetention, "IdempotencyRetention must be positive.");
        }

        if (options.IdempotencyMaxKeys < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.IdempotencyMaxKeys, "IdempotencyMaxKeys must be at least 1.");
        }

        if (options.MaxUnlinkedPoints < 1 || options.LinkWorkers < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxUnlinkedPoints must be at least 1 and LinkWorkers at least 0.");
        }
    }

    private void LoadCollections()
    {
        Directory.CreateDirectory(CollectionsDirectory);
        foreach (var dir in Directory.GetDirectories(CollectionsDirectory))
        {
            var leaf = Path.GetFileName(dir);
            if (leaf.StartsWith(TempPrefix, StringComparison.Ordinal) || leaf.StartsWith(DeletedPrefix, StringComparison.Ordinal))
            {
                // An unfinished create or delete from before a crash: never acknowledged, or already gone.
                TryDelete(dir);
                continue;
            }

            try
            {
                var collection = Collection.Open(dir, _key, _options, Health, Quotas, _idempotency);
                _collections[collection.Config.Name] = collection;
            }
            catch (StorageCorruptedException e)
            {
                _unreadable.Add($"{leaf}: {e.Message}");
            }
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Left for the next start, which removes leftovers by their prefix.
        }
    }
}
