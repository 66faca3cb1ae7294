using System.Text.Json;
using Piramid.Contracts.Collections;
using Piramid.Engine.Crypto;
using Piramid.Engine.Filtering.Indexes;
using Piramid.Engine.Search;
using Piramid.Engine.Search.Hnsw;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Collections;

/// <summary>
/// One collection: its points in memory (vectors in a flat slab, metadata parsed once), its own
/// write-ahead log and checkpoints. Writers are serialised by a reader/writer lock and only wait for
/// durability outside it, so concurrent writers share one fsync (group commit) and readers never wait
/// on the disk. Split by concern: <c>.Writes</c>, <c>.Reads</c>, <c>.Recovery</c>, <c>.Checkpoint</c>.
/// </summary>
public sealed partial class Collection : IDisposable
{
    private static readonly JsonElement JsonNull = JsonDocument.Parse("null").RootElement.Clone();

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<string, PointEntry> _points = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _orderedIds = new(StringComparer.Ordinal);
    private readonly VectorSlab _vectors;
    private readonly HnswIndex? _index;
    private readonly MetadataIndexes _metadataIndexes;
    private readonly DataKey _key;
    private readonly EngineOptions _options;
    private readonly StorageHealth _health;
    private readonly QuotaGuard _quotas;
    private PointEntry?[] _bySlot = new PointEntry?[1024];
    private WriteAheadLog? _wal;
    private bool _closed;

    private Collection(string directory, CollectionConfig config, DataKey key, EngineOptions options, StorageHealth health, QuotaGuard quotas)
    {
        Directory = directory;
        Config = config;
        _key = key;
        _options = options;
        _health = health;
        _quotas = quotas;
        _vectors = new VectorSlab(config.Dimension);
        _metadataIndexes = new MetadataIndexes(config.Schema);
        _index = config.IndexType == CollectionConfig.Hnsw
            ? HnswIndex.Create(_vectors, config.Metric, config.M, config.EfConstruction, int8: config.Quantization == "int8")
            : null;
    }

    /// <summary>The collection's settings.</summary>
    public CollectionConfig Config { get; }

    /// <summary>Its directory (named by a random id; the name is inside the encrypted manifest).</summary>
    public string Directory { get; }

    /// <summary>Why the collection is closed, when its storage was found damaged; null when healthy.</summary>
    public string? FailureReason { get; private set; }

    /// <summary>Live points (read without the lock; exact at quiescence).</summary>
    public long Count => Volatile.Read(ref _count);

    private long _count;

    private string WalDirectory => Path.Combine(Directory, "wal");

    private string CheckpointDirectory => Path.Combine(Directory, "checkpoints");

    /// <summary>Describes the collection for the API.</summary>
    public CollectionInfo Describe()
    {
        JsonElement? schema = null;
        if (Config.SchemaJson() is { } schemaJson)
        {
            schema = JsonDocument.Parse(schemaJson).RootElement.Clone();
        }

        return new CollectionInfo
        {
            Name = Config.Name,
            Dimension = Config.Dimension,
            Metric = Config.MetricName,
            Index = new IndexSettings { Type = Config.IndexType, M = Config.M, EfConstruction = Config.EfConstruction, Ef = Config.Ef },
            Quantization = Config.Quantization,
            Schema = schema,
            Status = FailureReason is null ? "ready" : "failed",
            Error = FailureReason is null ? null : ServerPaths.Redact(FailureReason),
            Count = Count,
            BytesOnDisk = BytesOnDisk(),
            CreatedAt = Config.CreatedAt,
        };
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
        _lock.EnterWriteLock();
        try
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            if (_wal is not null)
            {
                try
                {
                    _wal.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }
                catch (StorageFailedException)
                {
                    // Nothing more can be made durable; unacknowledged writes were never promised.
                }
            }
        }
        finally
        {
            _lock.ExitWriteLock();
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

    private static JsonElement ParseMetadata(byte[]? bytes)
    {
        if (bytes is null)
        {
            return default;
        }

        var reader = new Utf8JsonReader(bytes);
        return JsonElement.ParseValue(ref reader);
    }
}
