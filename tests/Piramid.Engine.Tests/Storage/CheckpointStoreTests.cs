using System.Buffers.Binary;
using Piramid.Engine.Crypto;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Tests.Storage;

public sealed class CheckpointStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly DataKey _key = DataKey.Generate();

    public void Dispose()
    {
        _key.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void Write_ThenLoadNewest_ReturnsChunksInOrder()
    {
        var random = new Random(42);
        var chunks = Enumerable.Range(0, 5).Select(i => { var c = new byte[100 * i]; random.NextBytes(c); return c; }).ToList();
        var size = CheckpointStore.Write(_temp.Path, _key, 17, chunks.Select(c => (ReadOnlyMemory<byte>)c));

        var loaded = CheckpointStore.LoadNewest(_temp.Path, _key);
        Assert.NotNull(loaded);
        Assert.Equal(17, loaded.Lsn);
        Assert.Equal(chunks, loaded.Chunks.Select(c => c.ToArray()));
        Assert.Equal(size, new FileInfo(loaded.Path).Length);
    }

    [Fact]
    public void LoadNewest_NoCheckpoint_ReturnsNull() => Assert.Null(CheckpointStore.LoadNewest(_temp.Path, _key));

    [Fact]
    public void LoadNewest_NewestCorrupted_FallsBackToOlder()
    {
        CheckpointStore.Write(_temp.Path, _key, 10, [new byte[] { 1 }]);
        CheckpointStore.Write(_temp.Path, _key, 20, [new byte[] { 2 }]);
        var newest = _temp.Combine("checkpoint-00000000000000000020.ckpt");
        var bytes = File.ReadAllBytes(newest);
        bytes[40] ^= 1;
        File.WriteAllBytes(newest, bytes);

        var loaded = CheckpointStore.LoadNewest(_temp.Path, _key);
        Assert.Equal(10, loaded?.Lsn);
        Assert.Equal([1], loaded!.Chunks.Single().ToArray());
    }

    [Fact]
    public void LoadNewest_NewestMissingEndRecord_FallsBackToOlder()
    {
        CheckpointStore.Write(_temp.Path, _key, 10, [new byte[] { 1 }]);
        CheckpointStore.Write(_temp.Path, _key, 20, [new byte[] { 2 }, new byte[] { 3 }]);
        var newest = _temp.Combine("checkpoint-00000000000000000020.ckpt");
        using (var stream = new FileStream(newest, FileMode.Open))
        {
            stream.SetLength(stream.Length - (8 + 40)); // drop the end record exactly
        }

        Assert.Equal(10, CheckpointStore.LoadNewest(_temp.Path, _key)?.Lsn);
    }

    [Fact]
    public void LoadNewest_NewestWithAnyByteFlippedOrCutAnywhere_FallsBackToOlder()
    {
        // The reader frames and decrypts record by record (no whole-file buffer): every damage must still invalidate
        // the whole file, whichever record, field or byte it hits, an empty chunk's record included.
        CheckpointStore.Write(_temp.Path, _key, 10, [new byte[] { 1 }]);
        CheckpointStore.Write(_temp.Path, _key, 20, [new byte[] { 2, 3, 4, 5, 6 }, Array.Empty<byte>(), new byte[] { 7 }]);
        var newest = _temp.Combine("checkpoint-00000000000000000020.ckpt");
        var whole = File.ReadAllBytes(newest);
        Assert.Equal(20, CheckpointStore.LoadNewest(_temp.Path, _key)?.Lsn);

        for (var offset = 0; offset < whole.Length; offset++)
        {
            var flipped = (byte[])whole.Clone();
            flipped[offset] ^= 0x10;
            File.WriteAllBytes(newest, flipped);
            Assert.True(CheckpointStore.LoadNewest(_temp.Path, _key)?.Lsn == 10, $"byte {offset} flipped");
        }

        for (var length = 0; length < whole.Length; length++)
        {
            File.WriteAllBytes(newest, whole[..length]);
            Assert.True(CheckpointStore.LoadNewest(_temp.Path, _key)?.Lsn == 10, $"cut to {length} bytes");
        }
    }

    [Fact]
    public void ReadChunks_AChunkAlteredWithItsChecksumsRecomputed_IsRefusedWhenRead_NotTakenForTheOlder()
    {
        // The load checks checksums first and decrypts each chunk when it is read: a record altered by someone who
        // recomputed its checksums (no key needed) passes the first check and is refused by its tag, loudly.
        CheckpointStore.Write(_temp.Path, _key, 10, [new byte[] { 1 }]);
        CheckpointStore.Write(_temp.Path, _key, 20, [new byte[] { 2, 3, 4 }, new byte[] { 5, 6, 7 }]);
        var newest = _temp.Combine("checkpoint-00000000000000000020.ckpt");
        var bytes = File.ReadAllBytes(newest);
        var second = 32 + 20 + 3 + 16 + 4; // file header, then the first record (header, payload, tag, checksum)
        bytes[second + 20 + 1] ^= 0x01; // the second chunk's second payload byte
        var checksumAt = second + 20 + 3 + 16;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(checksumAt), Crc32C.Compute(bytes.AsSpan(second, checksumAt - second)));
        File.WriteAllBytes(newest, bytes);

        using var loaded = CheckpointStore.LoadNewest(_temp.Path, _key);
        Assert.Equal(20, loaded?.Lsn);
        using var chunks = loaded!.ReadChunks().GetEnumerator();
        Assert.True(chunks.MoveNext());
        Assert.Equal([2, 3, 4], chunks.Current.ToArray());
        var refused = Assert.Throws<StorageCorruptedException>(() => chunks.MoveNext());
        Assert.Contains("chunk 1 does not decrypt", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadChunks_ReusesOneBuffer_AndEachChunkIsWholeWhenRead()
    {
        var random = new Random(7);
        var chunks = Enumerable.Range(0, 20).Select(i => { var c = new byte[(i * 997) % 5000]; random.NextBytes(c); return c; }).ToList();
        CheckpointStore.Write(_temp.Path, _key, 3, chunks.Select(c => (ReadOnlyMemory<byte>)c));

        using var loaded = CheckpointStore.LoadNewest(_temp.Path, _key)!;
        var read = loaded.ReadChunks().Select(c => c.ToArray()).ToList();
        Assert.Equal(chunks, read);
    }

    [Fact]
    public void LoadNewest_AnotherDataKey_FindsNoValidCheckpoint()
    {
        CheckpointStore.Write(_temp.Path, _key, 10, [new byte[] { 1, 2, 3 }]);
        using var other = DataKey.Generate();

        Assert.Null(CheckpointStore.LoadNewest(_temp.Path, other));
        Assert.Equal([1, 2, 3], CheckpointStore.LoadNewest(_temp.Path, _key)!.Chunks.Single().ToArray());
    }

    [Fact]
    public void LoadNewest_LeftoverTempFile_IsIgnoredAndDeleted()
    {
        CheckpointStore.Write(_temp.Path, _key, 10, [new byte[] { 1 }]);
        var temp = _temp.Combine("checkpoint-00000000000000000030.ckpt.tmp");
        File.WriteAllBytes(temp, new byte[100]);

        Assert.Equal(10, CheckpointStore.LoadNewest(_temp.Path, _key)?.Lsn);
        Assert.False(File.Exists(temp));
    }

    [Fact]
    public void RemoveAllButNewest_KeepsTheNewestTwo()
    {
        foreach (var lsn in new long[] { 5, 10, 15, 20 })
        {
            CheckpointStore.Write(_temp.Path, _key, lsn, [new byte[] { 1 }]);
        }

        CheckpointStore.RemoveAllButNewest(_temp.Path);
        Assert.Equal(
            ["checkpoint-00000000000000000015.ckpt", "checkpoint-00000000000000000020.ckpt"],
            Directory.GetFiles(_temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
