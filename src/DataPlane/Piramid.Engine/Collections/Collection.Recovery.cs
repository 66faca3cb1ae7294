using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Piramid.Engine.Crypto;
using Piramid.Engine.Search.Quantization;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Collections;

/// <summary>Opening: newest valid checkpoint, then the log after it. Damage closes the collection, never drops data.</summary>
public sealed partial class Collection
{
    /// <summary>Creates the files of a new, empty collection in <paramref name="directory"/> and opens it.</summary>
    internal static Collection Create(string directory, CollectionConfig config, DataKey key, EngineOptions options, StorageHealth health, QuotaGuard quotas)
    {
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "wal"));
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "checkpoints"));
        CollectionManifest.Write(directory, key, config);
        var collection = new Collection(directory, config, key, options, health, quotas);
        collection.Recover();
        return collection;
    }

    /// <summary>
    /// Opens an existing collection. A damaged manifest throws <see cref="StorageCorruptedException"/>; a damaged
    /// checkpoint or log yields a collection that reports <see cref="FailureReason"/> and refuses every call with 503.
    /// </summary>
    internal static Collection Open(string directory, DataKey key, EngineOptions options, StorageHealth health, QuotaGuard quotas)
    {
        var config = CollectionManifest.Read(directory, key);
        var collection = new Collection(directory, config, key, options, health, quotas);
        try
        {
            collection.Recover();
        }
        catch (StorageCorruptedException e)
        {
            collection.FailClosed(e.Message);
        }
        catch (InvalidDataException e)
        {
            collection.FailClosed($"a log record does not decode: {e.Message}");
        }

        return collection;
    }

    private void Recover()
    {
        long afterLsn = 0;
        var checkpoint = CheckpointStore.LoadNewest(CheckpointDirectory, _key);
        if (checkpoint is not null)
        {
            LoadCheckpoint(checkpoint);
            afterLsn = checkpoint.Lsn;
        }

        _checkpointLsn = afterLsn;
        var walOptions = new WalOptions { Policy = _options.Durability, SegmentBytes = _options.WalSegmentBytes, Time = _options.Time };
        _wal = WriteAheadLog.Open(WalDirectory, _key, walOptions, afterLsn, Replay);
        _walBytesAtCheckpoint = _wal.BytesOnDisk;
        _lastCheckpointAt = _options.Time.GetUtcNow();
    }

    private void Replay(WalRecord record)
    {
        switch (record.Type)
        {
            case PointRecordCodec.UpsertType:
                foreach (var point in PointRecordCodec.DecodeUpsert(record.Payload.Span))
                {
                    LinkNow(ApplyUpsert(point));
                }

                break;
            case PointRecordCodec.DeleteType:
                foreach (var id in PointRecordCodec.DecodeDelete(record.Payload.Span))
                {
                    ApplyDelete(id);
                }

                break;
            default:
                throw new InvalidDataException($"unknown record type {record.Type} at LSN {record.Lsn}");
        }
    }

    private void LoadCheckpoint(CheckpointData checkpoint)
    {
        if (checkpoint.Chunks.Count == 0)
        {
            throw new StorageCorruptedException($"{checkpoint.Path}: checkpoint has no header chunk.");
        }

        var header = checkpoint.Chunks[0];
        var version = header.Length > 0 ? header[0] : (byte)0;
        var valid = version switch
        {
            CheckpointVersion1 => header.Length == CheckpointVersion1HeaderSize,
            CheckpointVersion => header.Length == CheckpointHeaderSize,
            _ => false,
        };
        if (!valid || BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(9)) != Config.Dimension)
        {
            throw new StorageCorruptedException($"{checkpoint.Path}: checkpoint header does not match this collection.");
        }

        var expected = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(1));
        try
        {
            if (version == CheckpointVersion1)
            {
                // Version 1 kept no slots and no graph: the points are added again and linked one by one.
                for (var i = 1; i < checkpoint.Chunks.Count; i++)
                {
                    foreach (var point in PointRecordCodec.DecodeUpsert(checkpoint.Chunks[i]))
                    {
                        LinkNow(ApplyUpsert(point));
                    }
                }
            }
            else
            {
                LoadSlottedCheckpoint(checkpoint, BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(13)), header[17] == 1);
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new StorageCorruptedException($"{checkpoint.Path}: {e.Message}");
        }

        if (_points.Count != expected)
        {
            throw new StorageCorruptedException($"{checkpoint.Path}: checkpoint holds {_points.Count} points, its header says {expected}.");
        }
    }

    private void LoadSlottedCheckpoint(CheckpointData checkpoint, int slotCount, bool hasGraph)
    {
        var graphSlots = -1;
        ScalarQuantizer? quantizer = null;
        for (var i = 1; i < checkpoint.Chunks.Count; i++)
        {
            var chunk = checkpoint.Chunks[i];
            if (chunk.Length == 0)
            {
                throw new StorageCorruptedException($"{checkpoint.Path}: empty chunk {i}.");
            }

            var body = chunk.AsSpan(1);
            switch (chunk[0])
            {
                case PointsChunk:
                    RestorePoints(body, slotCount);
                    break;
                case RetiredChunk:
                    RestoreRetired(body, slotCount);
                    break;
                case QuantizerChunk when _index is not null:
                    quantizer = ReadQuantizer(body);
                    break;
                case GraphHeaderChunk when _index is not null:
                    graphSlots = _index.LoadHeader(body);
                    break;
                case GraphNodesChunk when _index is not null && graphSlots >= 0:
                    _index.LoadNodes(body, graphSlots);
                    break;
                default:
                    throw new StorageCorruptedException($"{checkpoint.Path}: chunk {i} has an unexpected kind {chunk[0]}.");
            }
        }

        _vectors.CompleteRestore();
        if (_index is null)
        {
            return;
        }

        if (!hasGraph || graphSlots != slotCount)
        {
            throw new StorageCorruptedException($"{checkpoint.Path}: the graph is missing or covers {graphSlots} slots instead of {slotCount}.");
        }

        for (var slot = 0; slot < slotCount; slot++)
        {
            if (_vectors.IsLive(slot) != _index.IsLiveNode(slot) || _vectors.IsRetired(slot) != _index.IsDeletedNode(slot))
            {
                throw new StorageCorruptedException($"{checkpoint.Path}: slot {slot} disagrees between the points and the graph.");
            }
        }

        if (quantizer is not null)
        {
            _index.UseQuantizer(quantizer);
        }

        foreach (var slot in _index.ReservedSlots().ToList())
        {
            _index.Reserve(slot, _index.LevelOf(slot));
            _index.Link(slot);
        }
    }

    private ScalarQuantizer ReadQuantizer(ReadOnlySpan<byte> body)
    {
        try
        {
            var quantizer = ScalarQuantizer.ReadFrom(body);
            return quantizer.Dimension == Config.Dimension
                ? quantizer
                : throw new StorageCorruptedException($"the saved quantizer has {quantizer.Dimension} dimensions, the collection {Config.Dimension}.");
        }
        catch (InvalidDataException e)
        {
            throw new StorageCorruptedException($"the saved quantizer does not decode: {e.Message}");
        }
    }

    private void RestorePoints(ReadOnlySpan<byte> body, int slotCount)
    {
        var count = BinaryPrimitives.ReadInt32LittleEndian(body);
        if (count < 0 || body.Length < 4 + (4L * count))
        {
            throw new StorageCorruptedException("a points chunk is truncated.");
        }

        var points = PointRecordCodec.DecodeUpsert(body[(4 + (4 * count))..]);
        if (points.Count != count)
        {
            throw new StorageCorruptedException($"a points chunk lists {count} slots for {points.Count} points.");
        }

        for (var i = 0; i < count; i++)
        {
            var slot = BinaryPrimitives.ReadInt32LittleEndian(body[(4 + (4 * i))..]);
            var point = points[i];
            if ((uint)slot >= (uint)slotCount || _points.ContainsKey(point.Id))
            {
                throw new StorageCorruptedException($"point '{point.Id}' has slot {slot} or appears twice.");
            }

            _vectors.Restore(slot, point.Vector, live: true);
            var entry = new PointEntry(point.Id, slot, ParseMetadata(point.Metadata));
            if (slot >= _bySlot.Length)
            {
                Array.Resize(ref _bySlot, Math.Max(slot + 1, _bySlot.Length * 2));
            }

            _bySlot[slot] = entry;
            _metadataIndexes.Add(slot, entry.Metadata);
            _points.Add(point.Id, entry);
            _orderedIds.Add(point.Id);
            Interlocked.Increment(ref _count);
        }
    }

    private void RestoreRetired(ReadOnlySpan<byte> body, int slotCount)
    {
        var count = BinaryPrimitives.ReadInt32LittleEndian(body);
        var vectorBytes = Config.Dimension * sizeof(float);
        if (count < 0 || body.Length != 4 + ((long)count * (4 + vectorBytes)))
        {
            throw new StorageCorruptedException("a retired-slots chunk has the wrong size.");
        }

        var vector = new float[Config.Dimension];
        for (var i = 0; i < count; i++)
        {
            var offset = 4 + (i * (4 + vectorBytes));
            var slot = BinaryPrimitives.ReadInt32LittleEndian(body[offset..]);
            if ((uint)slot >= (uint)slotCount)
            {
                throw new StorageCorruptedException($"retired slot {slot} is outside the slab.");
            }

            MemoryMarshal.Cast<byte, float>(body.Slice(offset + 4, vectorBytes)).CopyTo(vector);
            _vectors.Restore(slot, vector, live: false);
        }
    }

    // Recovery runs before the collection is published: nothing else can hold its lock yet.
    private void LinkNow(int slot)
    {
        if (slot >= 0)
        {
            _index!.Link(slot);
        }
    }

    private void FailClosed(string reason)
    {
        FailureReason = reason;
        _points.Clear();
        _orderedIds.Clear();
        Interlocked.Exchange(ref _count, 0);
    }
}
