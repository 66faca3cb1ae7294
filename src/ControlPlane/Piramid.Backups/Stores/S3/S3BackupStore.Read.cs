using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace Piramid.Backups.Stores.S3;

public sealed partial class S3BackupStore
{
    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string key, string sha256Hex, CancellationToken ct)
    {
        var bucketKey = BucketKeyOf(key);
        var expected = Sha256Hex.Normalize(sha256Hex);
        GetObjectResponse response;
        try
        {
            response = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = _options.Bucket, Key = bucketKey }, ct);
        }
        catch (AmazonS3Exception e) when (IsNotFound(e))
        {
            throw new BackupObjectNotFoundException(key);
        }

        var stored = StoredSha256(response.Metadata);
        if (stored != expected)
        {
            response.Dispose();
            throw new BackupObjectCorruptedException(key, $"it was stored with SHA-256 {stored ?? "none"}, {expected} expected.");
        }

        return new VerifyingReadStream(response.ResponseStream, key, response.ContentLength, expected, owner: response);
    }

    /// <inheritdoc />
    public async Task<BackupObjectInfo?> StatAsync(string key, CancellationToken ct)
    {
        var bucketKey = BucketKeyOf(key);
        try
        {
            var head = await _s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _options.Bucket, Key = bucketKey }, ct);
            return new BackupObjectInfo(key, head.ContentLength, StoredSha256(head.Metadata), ToOffset(head.LastModified));
        }
        catch (AmazonS3Exception e) when (IsNotFound(e))
        {
            return null;
        }
    }

    /// <inheritdoc />
    /// <remarks>S3 lists no metadata: each object costs one HEAD for its stored SHA-256.</remarks>
    public async IAsyncEnumerable<BackupObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        BackupKey.ValidatePrefix(prefix);
        await foreach (var item in ListObjectsAsync(_keyPrefix + prefix, ct))
        {
            var key = item.Key[_keyPrefix.Length..];
            if (await StatAsync(key, ct) is { } info)
            {
                yield return info; // null: deleted between the listing and the HEAD
            }
        }
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        var bucketKey = BucketKeyOf(key);
        await AbortUploadsAsync(bucketKey, exactKey: true, ct);
        await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _options.Bucket, Key = bucketKey }, ct);
    }

    /// <inheritdoc />
    public async Task<int> DeletePrefixAsync(string prefix, CancellationToken ct)
    {
        BackupKey.ValidatePrefix(prefix);
        var bucketPrefix = _keyPrefix + prefix;
        await AbortUploadsAsync(bucketPrefix, exactKey: false, ct);
        var deleted = 0;
        var batch = new List<KeyVersion>(1000);
        await foreach (var item in ListObjectsAsync(bucketPrefix, ct))
        {
            batch.Add(new KeyVersion { Key = item.Key });
            if (batch.Count == 1000)
            {
                deleted += await DeleteBatchAsync(batch, ct);
            }
        }

        if (batch.Count > 0)
        {
            deleted += await DeleteBatchAsync(batch, ct);
        }

        LogPrefixDeleted(prefix, deleted);
        return deleted;
    }

    private async Task<int> DeleteBatchAsync(List<KeyVersion> batch, CancellationToken ct)
    {
        var response = await _s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = _options.Bucket, Objects = [.. batch] }, ct);
        if (response.DeleteErrors is { Count: > 0 } errors)
        {
            throw new IOException(
                $"The backup store {Describe} could not delete {errors.Count} objects, first '{errors[0].Key}': {errors[0].Code} {errors[0].Message}");
        }

        var count = batch.Count;
        batch.Clear();
        return count;
    }

    // Unfinished uploads are invisible to listings but billed: whatever deletes a key or prefix aborts them too.
    private async Task AbortUploadsAsync(string bucketPrefix, bool exactKey, CancellationToken ct)
    {
        var uploads = new List<MultipartUpload>();
        await foreach (var upload in ListUploadsAsync(bucketPrefix, ct))
        {
            if (!exactKey || upload.Key == bucketPrefix)
            {
                uploads.Add(upload);
            }
        }

        foreach (var upload in uploads)
        {
            await AbortAsync(upload.Key, upload.UploadId, ct);
            LogUploadAborted(upload.Key, upload.UploadId);
        }
    }

    private async IAsyncEnumerable<S3Object> ListObjectsAsync(string bucketPrefix, [EnumeratorCancellation] CancellationToken ct)
    {
        var request = new ListObjectsV2Request { BucketName = _options.Bucket, Prefix = bucketPrefix };
        while (true)
        {
            var page = await _s3.ListObjectsV2Async(request, ct);
            foreach (var item in page.S3Objects ?? [])
            {
                yield return item;
            }

            if (page.IsTruncated != true)
            {
                yield break;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    private static DateTimeOffset ToOffset(DateTime? time) =>
        time is { } t ? new DateTimeOffset(t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t.ToUniversalTime()) : DateTimeOffset.MinValue;
}
