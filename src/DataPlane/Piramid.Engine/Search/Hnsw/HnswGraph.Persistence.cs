using System.Buffers.Binary;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Search.Hnsw;

/// <summary>
/// The graph as checkpoint chunks (docs/design/hnsw.md), so a restart loads it instead of rebuilding it.
/// Header: <c>u8 version, i32 M, i32 entry slot, i32 entry level, i32 slot count</c>. Each node chunk:
/// <c>i32 first slot, i32 nodes</c>, then per node <c>u8 state, u8 level</c> and per level 0..level
/// <c>u16 count, count × i32</c>. Little-endian.
/// </summary>
internal sealed partial class HnswGraph<TDistance>
{
    private const byte FormatVersion = 1;
    private const int HeaderSize = 17;
    private const int NodesPerChunk = 4096;

    /// <summary>
    /// The graph for slots <c>[0, slotCount)</c>: a header chunk, then node chunks. Called under the collection's
    /// read lock; links may run meanwhile, and every row read is a valid row, so the result is a valid graph.
    /// </summary>
    public IEnumerable<byte[]> Save(int slotCount)
    {
        var entry = Volatile.Read(ref _entry);
        var header = new byte[HeaderSize];
        header[0] = FormatVersion;
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(1), M);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(5), entry.Slot);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(9), entry.Level);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(13), slotCount);
        yield return header;

        for (var first = 0; first < slotCount; first += NodesPerChunk)
        {
            yield return SaveNodes(first, Math.Min(NodesPerChunk, slotCount - first));
        }
    }

    /// <summary>Reads the header chunk (collection write lock, on an empty graph); returns the slot count.</summary>
    public int LoadHeader(ReadOnlySpan<byte> header)
    {
        _inLinksStale = true;
        if (header.Length != HeaderSize || header[0] != FormatVersion)
        {
            throw new StorageCorruptedException("the graph header has an unknown version or size.");
        }

        if (BinaryPrimitives.ReadInt32LittleEndian(header[1..]) != M)
        {
            throw new StorageCorruptedException("the saved graph was built with another M than the collection's.");
        }

        var slot = BinaryPrimitives.ReadInt32LittleEndian(header[5..]);
        var level = BinaryPrimitives.ReadInt32LittleEndian(header[9..]);
        var slotCount = BinaryPrimitives.ReadInt32LittleEndian(header[13..]);
        if (slotCount < 0 || slot < NoNode || slot >= slotCount || level < -1 || level > 30 || (slot == NoNode) != (level == -1))
        {
            throw new StorageCorruptedException("the graph header is inconsistent.");
        }

        EnsureCapacity(slotCount);
        _entry = slot == NoNode ? EntryPoint.None : new EntryPoint(slot, level);
        return slotCount;
    }

    /// <summary>
    /// Reads a node chunk. Nodes saved while their links were still being made come back reserved: the
    /// collection links them again (<see cref="ReservedSlots"/>).
    /// </summary>
    public void LoadNodes(ReadOnlySpan<byte> chunk, int slotCount)
    {
        try
        {
            var first = BinaryPrimitives.ReadInt32LittleEndian(chunk);
            var nodes = BinaryPrimitives.ReadInt32LittleEndian(chunk[4..]);
            if (first < 0 || nodes < 0 || (long)first + nodes > slotCount)
            {
                throw new StorageCorruptedException("a graph chunk covers slots outside the graph.");
            }

            var offset = 8;
            for (var slot = first; slot < first + nodes; slot++)
            {
                var state = (NodeState)chunk[offset];
                var level = chunk[offset + 1];
                offset += 2;
                if (state > NodeState.Deleted || level > 30)
                {
                    throw new StorageCorruptedException($"graph node {slot} has an unknown state or level.");
                }

                Reserve(slot, level);
                _states[slot] = state;
                for (var l = 0; l <= level; l++)
                {
                    var count = BinaryPrimitives.ReadUInt16LittleEndian(chunk[offset..]);
                    offset += 2;
                    var row = RawRow(slot, l);
                    if (count > row.Length - 1)
                    {
                        throw new StorageCorruptedException($"graph node {slot} has {count} links at level {l}, more than a row holds.");
                    }

                    for (var i = 0; i < count; i++, offset += 4)
                    {
                        var neighbour = BinaryPrimitives.ReadInt32LittleEndian(chunk[offset..]);
                        row[1 + i] = (uint)neighbour < (uint)slotCount
                            ? neighbour
                            : throw new StorageCorruptedException($"graph node {slot} links to slot {neighbour}, outside the graph.");
                    }

                    row[0] = count;
                }

                _linkedCount += state == NodeState.Linked ? 1 : 0;
                _deletedCount += state == NodeState.Deleted ? 1 : 0;
            }

            if (offset != chunk.Length)
            {
                throw new StorageCorruptedException("a graph chunk has trailing bytes.");
            }
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new StorageCorruptedException("a graph chunk is truncated.");
        }
    }

    /// <summary>Nodes still reserved after a load (their links were in progress when the graph was saved).</summary>
    public IEnumerable<int> ReservedSlots()
    {
        for (var slot = 0; slot < _states.Length; slot++)
        {
            if (_states[slot] == NodeState.Reserved)
            {
                yield return slot;
            }
        }
    }

    private byte[] SaveNodes(int first, int nodes)
    {
        var size = 8;
        for (var slot = first; slot < first + nodes; slot++)
        {
            size += 2;
            if (_states[slot] == NodeState.Free)
            {
                size += 2;
            }
            else
            {
                for (var l = 0; l <= _levels[slot]; l++)
                {
                    size += 2 + (4 * (l == 0 ? M0 : M));
                }
            }
        }

        var buffer = new byte[size];
        var span = buffer.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(span, first);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], nodes);
        var offset = 8;
        for (var slot = first; slot < first + nodes; slot++)
        {
            var state = _states[slot];
            var level = state == NodeState.Free ? 0 : _levels[slot];
            span[offset] = (byte)state;
            span[offset + 1] = (byte)level;
            offset += 2;
            if (state == NodeState.Free)
            {
                // A free slot has no rows; its level-0 count is written as zero.
                BinaryPrimitives.WriteUInt16LittleEndian(span[offset..], 0);
                offset += 2;
                continue;
            }

            for (var l = 0; l <= level; l++)
            {
                var row = Row(slot, l);
                BinaryPrimitives.WriteUInt16LittleEndian(span[offset..], (ushort)row.Length);
                offset += 2;
                foreach (var neighbour in row)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(span[offset..], neighbour);
                    offset += 4;
                }
            }
        }

        return buffer.AsSpan(0, offset).ToArray();
    }
}
