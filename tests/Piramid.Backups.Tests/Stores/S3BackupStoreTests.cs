using Amazon.S3;
using Amazon.S3.Model;
using Piramid.Backups.Configuration;
using Piramid.Backups.Stores;
using Piramid.Backups.Stores.S3;
using Piramid.TestKit.S3;

namespace Piramid.Backups.Tests.Stores;

/// <summary>
/// The store contract on <see cref="S3BackupStore"/> against a real moto_server on loopback, plus multipart resume,
/// retries and the cleanup of unfinished uploads, counted at the HTTP layer.
/// </summary>
public sealed class S3BackupStoreTests(MotoFixture moto) : BackupStoreContract, IClassFixture<MotoFixture>
{
    private const int MiB = 1 << 20;

    private readonly S3RequestCounter _requests = new();
    private S3StoreOptions _options = null!;
    private AmazonS3Client _raw = null!;

    private S3BackupStore S3 => (S3BackupStore)Store;

    protected override async Task<IBackupStore> CreateStoreAsync()
    {
        _options = new S3StoreOptions
        {
            ServiceUrl = moto.Server.ServiceUrl.ToString(),
            Bucket = await moto.Server.CreateBucketAsync(),
            Prefix = "piramid/test",
            AccessKey = MotoServer.AccessKey,
            SecretKey = MotoServer.SecretKey,
            ForcePathStyle = true,
            PartSizeBytes = 5 * MiB, // S3's smallest: a 20 MiB object is four parts
            MultipartThresholdBytes = 8 * MiB,
            MaxAttempts = 3,
        };
        _raw = S3ClientFactory.Create(_options);
        return new S3BackupStore(S3ClientFactory.Create(_options, _requests), _options, ownsClient: true);
    }

    public override Task DisposeAsync()
    {
        S3.Dispose();
        _raw.Dispose();
        _requests.Dispose();
        return Task.CompletedTask;
    }

    protected override async Task TamperAsync(string key)
    {
        var (bytes, metadata) = await GetRawAsync(key);
        bytes[bytes.Length / 2] ^= 0x5A;
        await PutRawAsync(key, bytes, metadata);
    }

    protected override async Task TruncateAsync(string key)
    {
        var (bytes, metadata) = await GetRawAsync(key);
        await PutRawAsync(key, bytes[..(bytes.Length / 2)], metadata);
    }

    [Fact]
    public async Task Put_KeepsTheSha256AsMetadata_UnderTheConfiguredPrefix()
    {
        var blob = Blob.Create(1, 1000);
        await Store.PutAsync("tenants/t1/x", blob.Stream(), 1000, blob.Sha256Hex, null, default);

        var head = await _raw.GetObjectMetadataAsync(
            new GetObjectMetadataRequest { BucketName = _options.Bucket, Key = "piramid/test/tenants/t1/x", ChecksumMode = ChecksumMode.ENABLED });
        Assert.Equal(blob.Sha256Hex, head.Metadata["sha256"]);
        // S3's own checksum too, which it verified on receipt (single-request puts).
        Assert.Equal(Convert.ToBase64String(Convert.FromHexString(blob.Sha256Hex)), head.ChecksumSHA256);
        Assert.Equal(1000, head.ContentLength);
        Assert.Equal($"s3://{_options.Bucket}/piramid/test/", Store.Describe);
    }

    [Fact]
    public async Task Put_InterruptedMidway_ResumesAndUploadsOnlyTheMissingParts()
    {
        var blob = Blob.Create(2, 20 * MiB);
        // Fails while reading part 3: parts 1 and 2 (10 MiB) are uploaded, the upload stays unfinished.
        await Assert.ThrowsAsync<IOException>(
            () => Store.PutAsync("big/resumed", new FailingStream(blob.Bytes, 13 * MiB), blob.Bytes.Length, blob.Sha256Hex, null, default));
        Assert.Equal(2, _requests.UploadParts);
        Assert.Null(await Store.StatAsync("big/resumed", default));

        _requests.Reset();
        await Store.PutAsync("big/resumed", blob.Stream(), blob.Bytes.Length, blob.Sha256Hex, null, default);

        Assert.Equal(2, _requests.UploadParts); // parts 3 and 4 only
        Assert.Equal(0, _requests.Initiates); // the same upload, continued
        Assert.Equal(blob.Bytes, await ReadAllAsync("big/resumed", blob.Sha256Hex));
        Assert.Empty(await UnfinishedUploadsAsync());
    }

    [Fact]
    public async Task Put_AfterAnInterruptedPutOfOtherContent_ReuploadsThePartsThatDiffer()
    {
        var first = Blob.Create(3, 20 * MiB);
        await Assert.ThrowsAsync<IOException>(
            () => Store.PutAsync("big/changed", new FailingStream(first.Bytes, 13 * MiB), first.Bytes.Length, first.Sha256Hex, null, default));

        var second = Blob.Create(4, 20 * MiB);
        _requests.Reset();
        await Store.PutAsync("big/changed", second.Stream(), second.Bytes.Length, second.Sha256Hex, null, default);

        Assert.Equal(4, _requests.UploadParts);
        Assert.Equal(second.Bytes, await ReadAllAsync("big/changed", second.Sha256Hex));
        Assert.Equal(second.Sha256Hex, (await Store.StatAsync("big/changed", default))!.Sha256Hex);
    }

    [Fact]
    public async Task Put_ResumingAnUploadStartedForOtherContent_SharingItsFirstParts_StoresTheNewHash()
    {
        var first = Blob.Create(5, 20 * MiB);
        var second = (byte[])first.Bytes.Clone();
        second[^1] ^= 0xFF; // same parts 1-3, another part 4, another SHA-256
        var secondBlob = new Blob(second, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(second)));
        await Assert.ThrowsAsync<IOException>(
            () => Store.PutAsync("big/shared", new FailingStream(first.Bytes, 16 * MiB), first.Bytes.Length, first.Sha256Hex, null, default));
        Assert.Equal(3, _requests.UploadParts);

        _requests.Reset();
        await Store.PutAsync("big/shared", secondBlob.Stream(), second.Length, secondBlob.Sha256Hex, null, default);

        Assert.Equal(1, _requests.UploadParts);
        Assert.Equal(secondBlob.Sha256Hex, (await Store.StatAsync("big/shared", default))!.Sha256Hex);
        Assert.Equal(second, await ReadAllAsync("big/shared", secondBlob.Sha256Hex));
    }

    [Fact]
    public async Task Put_RetriesA503_OfAPartAndOfASingleRequest()
    {
        var big = Blob.Create(6, 12 * MiB);
        _requests.FailNextUploadParts(1);
        await Store.PutAsync("retried/big", big.Stream(), big.Bytes.Length, big.Sha256Hex, null, default);
        Assert.Equal(4, _requests.UploadParts); // three parts (5, 5 and 2 MiB), the first sent twice

        var small = Blob.Create(7, 1000);
        _requests.Reset();
        _requests.FailNextPuts(2);
        await Store.PutAsync("retried/small", small.Stream(), 1000, small.Sha256Hex, null, default);
        Assert.Equal(3, _requests.Puts);

        Assert.Equal(big.Bytes, await ReadAllAsync("retried/big", big.Sha256Hex));
        Assert.Equal(small.Bytes, await ReadAllAsync("retried/small", small.Sha256Hex));
    }

    [Fact]
    public async Task Put_FailingMoreThanMaxAttempts_Throws_AndStoresNothing()
    {
        var small = Blob.Create(8, 1000);
        _requests.FailNextPuts(3);
        await Assert.ThrowsAsync<AmazonS3Exception>(() => Store.PutAsync("failed/small", small.Stream(), 1000, small.Sha256Hex, null, default));
        Assert.Equal(3, _requests.Puts);
        Assert.Null(await Store.StatAsync("failed/small", default));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(12 * MiB)]
    public async Task Put_CorruptedInTransit_IsRefusedNamingTheKey_AndLeavesNoObject(int size)
    {
        var blob = Blob.Create(11, size);
        _requests.CorruptNextBodies(1);

        var error = await Assert.ThrowsAsync<BackupObjectCorruptedException>(
            () => Store.PutAsync("transit/x", blob.Stream(), size, blob.Sha256Hex, null, default));
        Assert.Equal("transit/x", error.Key);
        Assert.Null(await Store.StatAsync("transit/x", default));
    }

    [Fact]
    public async Task Delete_AndDeletePrefix_AbortTheUnfinishedUploadsUnderThem()
    {
        var blob = Blob.Create(9, 12 * MiB);
        foreach (var key in new[] { "tenants/t1/backups/b1/a", "tenants/t1/backups/b1/b", "tenants/t1/backups/b2/a" })
        {
            await Assert.ThrowsAsync<IOException>(
                () => Store.PutAsync(key, new FailingStream(blob.Bytes, 6 * MiB), blob.Bytes.Length, blob.Sha256Hex, null, default));
        }

        Assert.Equal(3, (await UnfinishedUploadsAsync()).Count);
        await Store.DeleteAsync("tenants/t1/backups/b1/a", default);
        Assert.Equal(2, (await UnfinishedUploadsAsync()).Count);

        await Store.DeletePrefixAsync("tenants/t1/backups/b1/", default);
        Assert.Equal(["piramid/test/tenants/t1/backups/b2/a"], await UnfinishedUploadsAsync());
    }

    [Fact]
    public async Task OpenRead_ObjectOverwrittenWithoutItsHash_ThrowsNamingTheKey()
    {
        var blob = Blob.Create(10, 1000);
        await Store.PutAsync("k", blob.Stream(), 1000, blob.Sha256Hex, null, default);
        await PutRawAsync("k", blob.Bytes, new Dictionary<string, string>());

        var error = await Assert.ThrowsAsync<BackupObjectCorruptedException>(() => Store.OpenReadAsync("k", blob.Sha256Hex, default));
        Assert.Equal("k", error.Key);
    }

    private async Task<(byte[] Bytes, Dictionary<string, string> Metadata)> GetRawAsync(string key)
    {
        using var response = await _raw.GetObjectAsync(_options.Bucket, S3.BucketKeyOf(key));
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy);
        var metadata = response.Metadata.Keys.ToDictionary(k => k, k => response.Metadata[k]);
        return (copy.ToArray(), metadata);
    }

    private async Task PutRawAsync(string key, byte[] bytes, Dictionary<string, string> metadata)
    {
        var request = new PutObjectRequest { BucketName = _options.Bucket, Key = S3.BucketKeyOf(key), InputStream = new MemoryStream(bytes) };
        foreach (var (name, value) in metadata)
        {
            request.Metadata[name] = value;
        }

        await _raw.PutObjectAsync(request);
    }

    private async Task<List<string>> UnfinishedUploadsAsync()
    {
        var response = await _raw.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = _options.Bucket });
        return (response.MultipartUploads ?? []).Select(u => u.Key).Order(StringComparer.Ordinal).ToList();
    }
}
