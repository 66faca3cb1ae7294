using Piramid.Backups.Stores;

namespace Piramid.Backups.Tests.Stores;

/// <summary>
/// What every <see cref="IBackupStore"/> guarantees, run against each store by a subclass (filesystem, S3 on a
/// real moto_server). Store-specific checks (file modes, multipart resume counts) live in the subclasses.
/// </summary>
public abstract class BackupStoreContract : IAsyncLifetime
{
    /// <summary>The store under test, fresh for each test.</summary>
    protected IBackupStore Store { get; private set; } = null!;

    /// <summary>A new, empty store.</summary>
    protected abstract Task<IBackupStore> CreateStoreAsync();

    /// <summary>Changes one byte of the stored object behind the store's back, keeping its size and stored hash.</summary>
    protected abstract Task TamperAsync(string key);

    /// <summary>Drops the second half of the stored object behind the store's back, keeping its stored hash.</summary>
    protected abstract Task TruncateAsync(string key);

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65_539)]
    [InlineData(3 << 20)]
    public async Task Put_ThenOpenRead_ReturnsTheSameBytes_AndStatReportsSizeAndHash(int size)
    {
        var blob = Blob.Create(size, size);
        var key = "tenants/t1/backups/b1/collections/0123456789abcdef/checkpoint-1.ckpt";
        var reported = new List<long>();
        await Store.PutAsync(key, blob.Stream(), size, blob.Sha256Hex, new SyncProgress(reported), default);

        Assert.Equal(blob.Bytes, await ReadAllAsync(key, blob.Sha256Hex));
        var info = await Store.StatAsync(key, default);
        Assert.NotNull(info);
        Assert.Equal(key, info.Key);
        Assert.Equal(size, info.Size);
        Assert.Equal(blob.Sha256Hex, info.Sha256Hex);
        if (size > 0)
        {
            Assert.Equal(size, reported[^1]);
        }
    }

    [Fact]
    public async Task Put_OverAnExistingKey_ReplacesIt()
    {
        var first = Blob.Create(1, 1000);
        var second = Blob.Create(2, 700);
        await Store.PutAsync("a/object", first.Stream(), first.Bytes.Length, first.Sha256Hex, null, default);
        await Store.PutAsync("a/object", second.Stream(), second.Bytes.Length, second.Sha256Hex, null, default);

        Assert.Equal(second.Bytes, await ReadAllAsync("a/object", second.Sha256Hex));
        Assert.Equal(second.Sha256Hex, (await Store.StatAsync("a/object", default))!.Sha256Hex);
    }

    [Fact]
    public async Task OpenRead_TamperedObject_ThrowsNamingTheKey_BeforeTheLastByte()
    {
        var blob = Blob.Create(3, 300_000);
        const string key = "tenants/t1/backups/b1/manifest.json";
        await Store.PutAsync(key, blob.Stream(), blob.Bytes.Length, blob.Sha256Hex, null, default);
        await TamperAsync(key);

        var (returned, error) = await ReadUntilErrorAsync(key, blob.Sha256Hex);
        Assert.Equal(key, error.Key);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.True(returned < blob.Bytes.Length, $"{returned} of {blob.Bytes.Length} bytes were returned before the error");
    }

    [Fact]
    public async Task OpenRead_TruncatedObject_ThrowsNamingTheKey()
    {
        var blob = Blob.Create(4, 200_000);
        const string key = "tenants/t1/wal/0123456789abcdef/wal-000001.log";
        await Store.PutAsync(key, blob.Stream(), blob.Bytes.Length, blob.Sha256Hex, null, default);
        await TruncateAsync(key);

        var (returned, error) = await ReadUntilErrorAsync(key, blob.Sha256Hex);
        Assert.Equal(key, error.Key);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.True(returned < blob.Bytes.Length / 2 + 1, $"{returned} bytes were returned before the error");
    }

    [Fact]
    public async Task OpenRead_WithAnotherExpectedHash_ThrowsNamingTheKey()
    {
        var blob = Blob.Create(5, 10_000);
        var other = Blob.Create(6, 10_000);
        await Store.PutAsync("k", blob.Stream(), blob.Bytes.Length, blob.Sha256Hex, null, default);

        var (_, error) = await ReadUntilErrorAsync("k", other.Sha256Hex);
        Assert.Equal("k", error.Key);
    }

    [Fact]
    public async Task OpenRead_MissingObject_ThrowsNotFoundNamingTheKey()
    {
        var error = await Assert.ThrowsAsync<BackupObjectNotFoundException>(
            () => Store.OpenReadAsync("tenants/t1/none", new string('0', 64), default));
        Assert.Equal("tenants/t1/none", error.Key);
        Assert.Null(await Store.StatAsync("tenants/t1/none", default));
    }

    [Theory]
    [InlineData(0, 0)] // content hashing to something else
    [InlineData(-1, 1)] // shorter than declared
    [InlineData(1, 1)] // longer than declared
    public async Task Put_ContentNotMatchingLengthOrHash_IsRefused_AndNothingIsStored(int lengthDelta, int sameHash)
    {
        var blob = Blob.Create(7, 50_000);
        var declaredHash = sameHash == 1 ? blob.Sha256Hex : Blob.Create(8, 50_000).Sha256Hex;
        var declaredLength = blob.Bytes.Length - lengthDelta;

        var error = await Assert.ThrowsAsync<BackupObjectCorruptedException>(
            () => Store.PutAsync("refused/object", blob.Stream(), declaredLength, declaredHash, null, default));
        Assert.Equal("refused/object", error.Key);
        Assert.Null(await Store.StatAsync("refused/object", default));
        Assert.Empty(await ListKeysAsync(""));
    }

    [Fact]
    public async Task List_ByPrefix_ReturnsExactlyTheKeysStartingWithIt()
    {
        string[] keys = ["a/b/1", "a/b/2", "a/c/3", "ab/4", "b", "a/bc/5"];
        foreach (var (key, i) in keys.Select((k, i) => (k, i)))
        {
            var blob = Blob.Create(100 + i, 10 + i);
            await Store.PutAsync(key, blob.Stream(), blob.Bytes.Length, blob.Sha256Hex, null, default);
        }

        Assert.Equal(["a/b/1", "a/b/2"], await ListKeysAsync("a/b/"));
        Assert.Equal(["a/b/1", "a/b/2", "a/bc/5"], await ListKeysAsync("a/b"));
        Assert.Equal(["a/b/1", "a/b/2", "a/bc/5", "a/c/3"], await ListKeysAsync("a/"));
        Assert.Equal(["a/b/1", "a/b/2", "a/bc/5", "a/c/3", "ab/4"], await ListKeysAsync("a"));
        Assert.Equal(keys.Order(StringComparer.Ordinal), await ListKeysAsync(""));
        Assert.Empty(await ListKeysAsync("zz/"));

        var listed = await ToListAsync(Store.ListAsync("a/c/", default));
        var info = Assert.Single(listed);
        Assert.Equal(12, info.Size);
        Assert.Equal(Blob.Create(102, 12).Sha256Hex, info.Sha256Hex);
    }

    [Fact]
    public async Task Delete_RemovesTheObject_AndDeletingAMissingKeyIsNoError()
    {
        var blob = Blob.Create(9, 1234);
        await Store.PutAsync("d/1", blob.Stream(), blob.Bytes.Length, blob.Sha256Hex, null, default);
        await Store.PutAsync("d/2", blob.Stream(), blob.Bytes.Length, blob.Sha256Hex, null, default);

        await Store.DeleteAsync("d/1", default);
        await Store.DeleteAsync("d/1", default);
        await Store.DeleteAsync("never/was", default);

        Assert.Null(await Store.StatAsync("d/1", default));
        Assert.Equal(["d/2"], await ListKeysAsync(""));
        await Assert.ThrowsAsync<BackupObjectNotFoundException>(() => Store.OpenReadAsync("d/1", blob.Sha256Hex, default));
    }

    [Fact]
    public async Task DeletePrefix_RemovesOnlyTheKeysUnderIt()
    {
        string[] keys = ["tenants/t1/backups/b1/x", "tenants/t1/backups/b1/y/z", "tenants/t1/backups/b10/x", "tenants/t2/backups/b1/x"];
        foreach (var key in keys)
        {
            var blob = Blob.Create(key.Length, 100);
            await Store.PutAsync(key, blob.Stream(), blob.Bytes.Length, blob.Sha256Hex, null, default);
        }

        Assert.Equal(2, await Store.DeletePrefixAsync("tenants/t1/backups/b1/", default));
        Assert.Equal(["tenants/t1/backups/b10/x", "tenants/t2/backups/b1/x"], await ListKeysAsync(""));
    }

    [Fact]
    public async Task Put_20MiB_RoundTrips()
    {
        var blob = Blob.Create(10, 20 << 20);
        await Store.PutAsync("big/checkpoint", blob.Stream(), blob.Bytes.Length, blob.Sha256Hex, null, default);

        Assert.Equal(blob.Bytes, await ReadAllAsync("big/checkpoint", blob.Sha256Hex));
        Assert.Equal(blob.Bytes.Length, (await Store.StatAsync("big/checkpoint", default))!.Size);
    }

    [Fact]
    public async Task Put_InterruptedMidway_StoresNothing_AndTheSamePutThenSucceeds()
    {
        var blob = Blob.Create(11, 20 << 20);
        await Assert.ThrowsAsync<IOException>(
            () => Store.PutAsync("big/interrupted", new FailingStream(blob.Bytes, 13 << 20), blob.Bytes.Length, blob.Sha256Hex, null, default));
        Assert.Null(await Store.StatAsync("big/interrupted", default));
        Assert.Empty(await ListKeysAsync(""));

        await Store.PutAsync("big/interrupted", blob.Stream(), blob.Bytes.Length, blob.Sha256Hex, null, default);
        Assert.Equal(blob.Bytes, await ReadAllAsync("big/interrupted", blob.Sha256Hex));
    }

    [Fact]
    public async Task ConcurrentPuts_OfDifferentKeys_AllRoundTrip()
    {
        var blobs = Enumerable.Range(0, 16).Select(i => Blob.Create(200 + i, 100_000 + i * 1000)).ToArray();
        await Task.WhenAll(blobs.Select((b, i) =>
            Task.Run(() => Store.PutAsync($"concurrent/{i % 4}/{i}", b.Stream(), b.Bytes.Length, b.Sha256Hex, null, default))));

        for (var i = 0; i < blobs.Length; i++)
        {
            Assert.Equal(blobs[i].Bytes, await ReadAllAsync($"concurrent/{i % 4}/{i}", blobs[i].Sha256Hex));
        }

        Assert.Equal(16, (await ListKeysAsync("concurrent/")).Count);
    }

    [Theory]
    [MemberData(nameof(InvalidKeyIndexes))]
    public async Task EveryOperation_RefusesAnInvalidKey_NamingIt(int index)
    {
        var key = InvalidKeys[index];
        var blob = Blob.Create(12, 10);
        await Assert.ThrowsAsync<InvalidBackupKeyException>(() => Store.PutAsync(key, blob.Stream(), 10, blob.Sha256Hex, null, default));
        await Assert.ThrowsAsync<InvalidBackupKeyException>(() => Store.OpenReadAsync(key, blob.Sha256Hex, default));
        await Assert.ThrowsAsync<InvalidBackupKeyException>(() => Store.StatAsync(key, default));
        await Assert.ThrowsAsync<InvalidBackupKeyException>(() => Store.DeleteAsync(key, default));
        Assert.Empty(await ListKeysAsync(""));
    }

    // By index: a lone surrogate would not survive the test runner's serialization of theory data.
    private static readonly string[] InvalidKeys =
    [
        "", "../escape", "a/../../escape", "/absolute", "a\\b", "a/./b", "a//b", "a/", ".", "..", "a\nb", "a\0b",
        "tab\there", "x.sha256", "dir.partial/x", "\ud800lone", new string('k', 1025), "del\u007f", "nel\u0085",
    ];

    public static TheoryData<int> InvalidKeyIndexes() => new(Enumerable.Range(0, InvalidKeys.Length));

    private sealed class SyncProgress(List<long> values) : IProgress<long>
    {
        public void Report(long value)
        {
            lock (values)
            {
                values.Add(value);
            }
        }
    }

    /// <summary>Reads the whole object through the store's verifying stream, in small reads.</summary>
    protected async Task<byte[]> ReadAllAsync(string key, string sha256Hex)
    {
        await using var stream = await Store.OpenReadAsync(key, sha256Hex, default);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, 8192);
        return copy.ToArray();
    }

    private async Task<(long Returned, BackupObjectCorruptedException Error)> ReadUntilErrorAsync(string key, string sha256Hex)
    {
        long returned = 0;
        var error = await Assert.ThrowsAsync<BackupObjectCorruptedException>(async () =>
        {
            await using var stream = await Store.OpenReadAsync(key, sha256Hex, default);
            var buffer = new byte[8192];
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                returned += read;
            }
        });
        return (returned, error);
    }

    /// <summary>The keys under <paramref name="prefix"/>, sorted.</summary>
    protected async Task<List<string>> ListKeysAsync(string prefix) =>
        (await ToListAsync(Store.ListAsync(prefix, default))).Select(i => i.Key).Order(StringComparer.Ordinal).ToList();

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }
}
