using System.Security.Cryptography;
using Amazon.S3.Model;

namespace Piramid.Backups.Stores.S3;

public sealed partial class S3BackupStore
{
    // One part in memory at a time: the content is read once, in order, and each part is either skipped (already
    // uploaded by an interrupted put, same size and MD5) or uploaded from the buffer, so a retry can resend it.
    private async Task PutMultipartAsync(
        string key, string bucketKey, Stream content, long length, string expected, IProgress<long>? progress, CancellationToken ct)
    {
        var partSize = (int)_options.PartSizeBytes;
        var partCount = (int)((length + partSize - 1) / partSize);
        var (uploadId, uploaded) = await FindResumableUploadAsync(bucketKey, ct);
        var resumed = uploadId is not null;
        if (uploadId is null)
        {
            var create = new InitiateMultipartUploadRequest { BucketName = _options.Bucket, Key = bucketKey };
            create.Metadata[Sha256Metadata] = expected;
            uploadId = (await _s3.InitiateMultipartUploadAsync(create, ct)).UploadId;
        }
        else
        {
            LogResuming(key, uploaded.Count, partCount);
        }

        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
#pragma warning disable CA5351 // the whole object's MD5 is the ETag it gets if a metadata fix copies it (see below)
        using var md5Whole = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
#pragma warning restore CA5351
        var buffer = new byte[partSize];
        var partMd5s = new List<byte[]>(partCount);
        var etags = new List<PartETag>(partCount);
        long done = 0;
        var skipped = 0;
        for (var number = 1; number <= partCount; number++)
        {
            var size = (int)Math.Min(partSize, length - done);
            var read = await ReadBlockAsync(content, buffer.AsMemory(0, size), ct);
            await CheckOfferedAsync(key, content, done + read, done + size, atEnd: number == partCount, ct);
            var part = buffer.AsMemory(0, size);
            sha256.AppendData(part.Span);
            md5Whole.AppendData(part.Span);
            var md5 = Md5(part.Span);
            partMd5s.Add(md5);
            var tag = ObjectTag.Single(md5);
            if (uploaded.TryGetValue(number, out var previous) && previous.Size == size && previous.Tag == tag)
            {
                skipped++;
            }
            else
            {
                var response = await _s3.UploadPartAsync(
                    new UploadPartRequest
                    {
                        BucketName = _options.Bucket,
                        Key = bucketKey,
                        UploadId = uploadId,
                        PartNumber = number,
                        PartSize = size,
                        InputStream = new MemoryStream(buffer, 0, size, writable: false),
                        MD5Digest = Convert.ToBase64String(md5),
                    },
                    ct);
                if (ObjectTag.Normalize(response.ETag) != tag)
                {
                    throw new BackupObjectCorruptedException(key, $"part {number} was stored with ETag {ObjectTag.Normalize(response.ETag)}, {tag} sent.");
                }
            }

            etags.Add(new PartETag(number, tag));
            done += size;
            progress?.Report(done);
        }

        var actual = Sha256Hex.Of(sha256.GetHashAndReset());
        if (actual != expected)
        {
            // These bytes are not the object the caller meant: nothing of them may be resumed or completed.
            await AbortAsync(bucketKey, uploadId, ct);
            throw new BackupObjectCorruptedException(key, $"the content offered hashes to {actual}, {expected} declared.");
        }

        await _s3.CompleteMultipartUploadAsync(
            new CompleteMultipartUploadRequest { BucketName = _options.Bucket, Key = bucketKey, UploadId = uploadId, PartETags = etags },
            ct);
        LogUploaded(key, partCount, skipped);
        if (resumed)
        {
            await FixResumedMetadataAsync(key, bucketKey, expected, ct);
        }

        await VerifyUploadAsync(
            key, bucketKey, length, expected, ObjectTag.Multipart(partMd5s), ct, ObjectTag.Single(md5Whole.GetHashAndReset()));
    }

    // The newest unfinished upload of this key and its parts (number → size, ETag). Older ones are left to
    // DeleteAsync/DeletePrefixAsync, which abort every unfinished upload under what they delete.
    private async Task<(string? UploadId, Dictionary<int, (long Size, string Tag)> Parts)> FindResumableUploadAsync(string bucketKey, CancellationToken ct)
    {
        MultipartUpload? newest = null;
        await foreach (var upload in ListUploadsAsync(bucketKey, ct))
        {
            if (upload.Key == bucketKey && (newest is null || upload.Initiated > newest.Initiated))
            {
                newest = upload;
            }
        }

        var parts = new Dictionary<int, (long, string)>();
        if (newest is null)
        {
            return (null, parts);
        }

        var request = new ListPartsRequest { BucketName = _options.Bucket, Key = bucketKey, UploadId = newest.UploadId };
        while (true)
        {
            var page = await _s3.ListPartsAsync(request, ct);
            foreach (var part in page.Parts ?? [])
            {
                parts[part.PartNumber ?? 0] = (part.Size ?? -1, ObjectTag.Normalize(part.ETag));
            }

            if (page.IsTruncated != true)
            {
                return (newest.UploadId, parts);
            }

            request.PartNumberMarker = page.NextPartNumberMarker?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    // A resumed upload keeps the metadata it was started with. Its parts matched this content, but it may have
    // been started for other content that shared them (a put interrupted, then another version of the object):
    // the stored SHA-256 is then rewritten by a server-side copy onto itself.
    private async Task FixResumedMetadataAsync(string key, string bucketKey, string expected, CancellationToken ct)
    {
        var head = await _s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _options.Bucket, Key = bucketKey }, ct);
        if (StoredSha256(head.Metadata) == expected)
        {
            return;
        }

        LogRewritingMetadata(key);
        var copy = new CopyObjectRequest
        {
            SourceBucket = _options.Bucket,
            SourceKey = bucketKey,
            DestinationBucket = _options.Bucket,
            DestinationKey = bucketKey,
            MetadataDirective = Amazon.S3.S3MetadataDirective.REPLACE,
        };
        copy.Metadata[Sha256Metadata] = expected;
        await _s3.CopyObjectAsync(copy, ct);
    }

    private async IAsyncEnumerable<MultipartUpload> ListUploadsAsync(string bucketPrefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var request = new ListMultipartUploadsRequest { BucketName = _options.Bucket, Prefix = bucketPrefix };
        while (true)
        {
            var page = await _s3.ListMultipartUploadsAsync(request, ct);
            foreach (var upload in page.MultipartUploads ?? [])
            {
                yield return upload;
            }

            if (page.IsTruncated != true)
            {
                yield break;
            }

            request.KeyMarker = page.NextKeyMarker;
            request.UploadIdMarker = page.NextUploadIdMarker;
        }
    }

    private async Task AbortAsync(string bucketKey, string uploadId, CancellationToken ct)
    {
        try
        {
            await _s3.AbortMultipartUploadAsync(
                new AbortMultipartUploadRequest { BucketName = _options.Bucket, Key = bucketKey, UploadId = uploadId }, ct);
        }
        catch (Amazon.S3.AmazonS3Exception e) when (IsNotFound(e))
        {
            // Already completed or aborted by another put of the same key.
        }
    }
}
