using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Collections;

/// <summary>
/// Checkpoints: the whole state as of one LSN, so recovery replays only the log after it. Written under
/// the read lock (searches go on, writers wait) to avoid copying the state; see docs/design/data-directory.md.
/// </summary>
public sealed partial class Collection
{
    private const byte CheckpointVersion = 2;
    private const byte CheckpointVersion1 = 1;
    private const int CheckpointHeaderSize = 18; // u8 version, i64 point count, i32 dimension, i32 slot count, u8 has graph
    private const int CheckpointVersion1HeaderSize = 13; // u8 version, i64 point count, i32 dimension
    private const int PointsPerChunk = 512;

    // The first byte of every chunk after the header in version 2.
    private const byte PointsChunk = 1;
    private const byte RetiredChunk = 2;
    private const byte GraphHeaderChunk = 3;
    private const byte GraphNodesChunk = 4;
    private const byte QuantizerChunk = 5;

    private long _checkpointLsn;
    private long _previousCheckpointLsn;
    private long _walBytesAtCheckpoint;
    private DateTimeOffset _lastCheckpointAt;

    /// <summary>True when the log has grown past the size or age threshold since the last checkpoint.</summary>
    internal bool NeedsCheckpoint(DateTimeOffset now)
    {
        var wal = _wal;
        if (wal is null || FailureReason is not null || _closed || wal.IsFailed || wal.LastLsn == _checkpointLsn)
        {
            return false;
        }

        return wal.BytesOnDisk - _walBytesAtCheckpoint >= _options.CheckpointAfterWalBytes
            || now - _lastCheckpointAt >= _options.CheckpointInterval;
    }

    /// <summary>
    /// Writes a checkpoint when anything changed since the last one, then drops the log segments the
    /// previous checkpoint covers (one checkpoint of slack, so a damaged newest checkpoint is survivable).
    /// </summary>
    /// <param name="force">Write one even when no LSN changed (after a revived log, memory may hold unlogged writes).</param>
    /// <returns>False when the checkpoint could not be written.</returns>
    internal bool Checkpoint(bool force = false)
    {
        _lock.EnterReadLock();
        try
        {
            var wal = _wal;
            if (wal is null || FailureReason is not null || _closed || wal.IsFailed || (!force && wal.LastLsn == _checkpointLsn))
            {
                return true;
            }

            var lsn = wal.LastLsn;
            wal.Rotate();
            CheckpointStore.Write(CheckpointDirectory, _key, lsn, CheckpointChunks());
            _previousCheckpointLsn = _checkpointLsn;
            _checkpointLsn = lsn;
            _lastCheckpointAt = _options.Time.GetUtcNow();
            wal.RemoveSegmentsUpTo(_previousCheckpointLsn);
            CheckpointStore.RemoveAllButNewest(CheckpointDirectory, 2);
            _walBytesAtCheckpoint = wal.BytesOnDisk;
            return true;
        }
        catch (StorageFailedException e)
        {
            _health.MarkFailed(e.Message);
            return false;
        }
        catch (IOException e)
        {
            // A checkpoint that cannot be written leaves the log intact; the next attempt retries.
            _health.MarkFailed(e.Message);
            return false;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Reopens a failed log once the disk accepts writes again; true when writable. Memory may still hold
    /// writes that were applied but never made durable (never acknowledged either), so a checkpoint follows
    /// at once: disk and memory agree again before any new write is acknowledged.
    /// </summary>
    internal bool TryRevive()
    {
        _lock.EnterWriteLock();
        try
        {
            if (_wal is null || !_wal.IsFailed)
            {
                return true;
            }

            if (!_wal.TryRecover())
            {
                return false;
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        return Checkpoint(force: true);
    }

    // Version 2 (docs/design/data-directory.md): points keep their slots, so the saved graph stays valid.
    private IEnumerable<ReadOnlyMemory<byte>> CheckpointChunks()
    {
        var slotCount = _vectors.HighWater;
        var header = new byte[CheckpointHeaderSize];
        header[0] = CheckpointVersion;
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(1), _points.Count);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(9), Config.Dimension);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(13), slotCount);
        header[17] = _index is null ? (byte)0 : (byte)1;
        yield return header;

        var batch = new List<PreparedPoint>(PointsPerChunk);
        var slots = new List<int>(PointsPerChunk);
        foreach (var entry in _points.Values)
        {
            var metadata = entry.HasMetadata ? JsonMarshal.GetRawUtf8Value(entry.Metadata).ToArray() : null;
            batch.Add(new PreparedPoint(entry.Id, _vectors.Get(entry.Slot).ToArray(), metadata));
            slots.Add(entry.Slot);
            if (batch.Count == PointsPerChunk)
            {
                yield return EncodePointsChunk(slots, batch);
                batch.Clear();
                slots.Clear();
            }
        }

        if (batch.Count > 0)
        {
            yield return EncodePointsChunk(slots, batch);
        }

        if (_index is null)
        {
            yield break;
        }

        // Deleted graph nodes keep their vectors (stepping stones) until a compaction frees them.
        for (var first = 0; first < slotCount; first += PointsPerChunk)
        {
            var retired = Enumerable.Range(first, Math.Min(PointsPerChunk, slotCount - first)).Where(_vectors.IsRetired).ToList();
            if (retired.Count > 0)
            {
                yield return EncodeRetiredChunk(retired);
            }
        }

        // The codes are not saved: they are re-encoded from the floats with the same quantizer on load.
        if (_index.Quantizer is { } quantizer)
        {
            var chunk = new byte[1 + quantizer.SerializedSize];
            chunk[0] = QuantizerChunk;
            quantizer.WriteTo(chunk.AsSpan(1));
            yield return chunk;
        }

        var graphKind = GraphHeaderChunk;
        foreach (var chunk in _index.Save(slotCount))
        {
            yield return Prefixed(graphKind, chunk);
            graphKind = GraphNodesChunk;
        }
    }

    private static byte[] EncodePointsChunk(List<int> slots, List<PreparedPoint> points)
    {
        var payload = PointRecordCodec.EncodeUpsert(points);
        var chunk = new byte[5 + (4 * slots.Count) + payload.Length];
        chunk[0] = PointsChunk;
        BinaryPrimitives.WriteInt32LittleEndian(chunk.AsSpan(1), slots.Count);
        for (var i = 0; i < slots.Count; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(chunk.AsSpan(5 + (4 * i)), slots[i]);
        }

        payload.CopyTo(chunk.AsSpan(5 + (4 * slots.Count)));
        return chunk;
    }

    private byte[] EncodeRetiredChunk(List<int> slots)
    {
        var vectorBytes = Config.Dimension * sizeof(float);
        var chunk = new byte[5 + (slots.Count * (4 + vectorBytes))];
        chunk[0] = RetiredChunk;
        BinaryPrimitives.WriteInt32LittleEndian(chunk.AsSpan(1), slots.Count);
        var offset = 5;
        foreach (var slot in slots)
        {
            BinaryPrimitives.WriteInt32LittleEndian(chunk.AsSpan(offset), slot);
            MemoryMarshal.AsBytes(_vectors.Vector(slot)).CopyTo(chunk.AsSpan(offset + 4));
            offset += 4 + vectorBytes;
        }

        return chunk;
    }

    private static byte[] Prefixed(byte kind, byte[] chunk)
    {
        var prefixed = new byte[chunk.Length + 1];
        prefixed[0] = kind;
        chunk.CopyTo(prefixed.AsSpan(1));
        return prefixed;
    }
}
