using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Piramid.Backups.Configuration;

namespace Piramid.Backups.Stores.S3;

/// <summary>
/// Objects in an S3-compatible bucket (docs/design/backups.md, "Stores"), under an optional key prefix. The SHA-256
/// is kept as the metadata <c>x-amz-meta-sha256</c> (and as <c>x-amz-checksum-sha256</c> on single-request puts,
/// which S3 verifies); every put is checked afterwards against the ETag computed locally. Objects above
/// <see cref="S3StoreOptions.MultipartThresholdBytes"/> go in parts, and a put of the same key resumes the newest
/// unfinished upload, skipping the parts whose size and MD5 match.
/// </summary>
public sealed partial class S3BackupStore : IBackupStore, IDisposable
{
    /// <summary>Metadata name of the SHA-256 (sent as <c>x-amz-meta-sha256</c>).</summary>
    internal const string Sha256Metadata = "sha256";

    private readonly IAmazonS3 _s3;
    private readonly bool _ownsClient;
    private readonly S3StoreOptions _options;
    private readonly string _keyPrefix;
    private readonly ILogger _logger;

    /// <summary>A store over <paramref name="s3"/>; the store disposes it when <paramref name="ownsClient"/>.</summary>
    public S3BackupStore(IAmazonS3 s3, S3StoreOptions options, ILogger<S3BackupStore>? logger = null, bool ownsClient = false)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentNullException.ThrowIfNull(options);
        _s3 = s3;
        _ownsClient = ownsClient;
        _options = options;
        _keyPrefix = string.IsNullOrEmpty(options.Prefix) ? "" : options.Prefix + "/";
        _logger = logger ?? NullLogger<S3BackupStore>.Instance;
    }

    /// <inheritdoc />
    public string Describe => $"s3://{_options.Bucket}/{_keyPrefix}";

    /// <summary>The object key in the bucket of a store key (for tests that damage objects).</summary>
    public string BucketKeyOf(string key)
    {
        BackupKey.Validate(key);
        return _keyPrefix + key;
    }

    /// <inheritdoc />
    public async Task PutAsync(string key, Stream content, long length, string sha256Hex, IProgress<long>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var bucketKey = BucketKeyOf(key);
        var expected = Sha256Hex.Normalize(sha256Hex);
        if (length > _options.MultipartThresholdBytes)
        {
            await PutMultipartAsync(key, bucketKey, content, length, expected, progress, ct);
        }
        else
        {
            await PutSingleAsync(key, bucketKey, content, length, expected, progress, ct);
        }
    }

    // Small objects are read whole first: nothing is sent until length and hash are known to match, and
    // the request can be retried from memory.
    private async Task PutSingleAsync(
        string key, string bucketKey, Stream content, long length, string expected, IProgress<long>? progress, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(length, 1));
        try
        {
            var read = await ReadBlockAsync(content, buffer.AsMemory(0, (int)length), ct);
            await CheckOfferedAsync(key, content, read, length, atEnd: true, ct);
            var body = buffer.AsMemory(0, (int)length);
            var sha256 = SHA256.HashData(body.Span);
            if (Sha256Hex.Of(sha256) != expected)
            {
                throw new BackupObjectCorruptedException(key, $"the content offered hashes to {Sha256Hex.Of(sha256)}, {expected} declared.");
            }

            var md5 = Md5(body.Span);
            var request = new PutObjectRequest
            {
                BucketName = _options.Bucket,
                Key = bucketKey,
                InputStream = new MemoryStream(buffer, 0, (int)length, writable: false),
                MD5Digest = Convert.ToBase64String(md5),
                ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
                ChecksumSHA256 = Convert.ToBase64String(sha256),
                AutoCloseStream = true,
            };
            request.Metadata[Sha256Metadata] = expected;
            await _s3.PutObjectAsync(request, ct);
            progress?.Report(length);
            await VerifyUploadAsync(key, bucketKey, length, expected, ObjectTag.Single(md5), ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // HEAD after the put: the size, the stored SHA-256 and the ETag S3 computed from what it received must be
    // those computed here from what was sent.
    // A multipart object rewritten by a copy has the single-request ETag of its whole content: the alternative.
    private async Task VerifyUploadAsync(
        string key, string bucketKey, long length, string expected, string expectedTag, CancellationToken ct, string? alternativeTag = null)
    {
        var head = await _s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _options.Bucket, Key = bucketKey }, ct);
        var tag = ObjectTag.Normalize(head.ETag);
        if (head.ContentLength != length || (tag != expectedTag && tag != alternativeTag) || StoredSha256(head.Metadata) != expected)
        {
            // What arrived is not what was sent (S3 checks Content-MD5 on receipt; not every compatible service
            // does): remove it, so the refused put leaves no object behind, as a refused put never does.
            await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _options.Bucket, Key = bucketKey }, ct);
            throw new BackupObjectCorruptedException(
                key, $"after upload it holds {head.ContentLength} bytes, ETag {tag}, SHA-256 {StoredSha256(head.Metadata) ?? "none"}; "
                + $"{length} bytes, ETag {expectedTag}, SHA-256 {expected} were sent.");
        }
    }

    private static string? StoredSha256(MetadataCollection metadata)
    {
        var value = metadata[Sha256Metadata];
        return string.IsNullOrEmpty(value) ? null : value.ToLowerInvariant();
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns the bytes read.</summary>
    private static async Task<int> ReadBlockAsync(Stream content, Memory<byte> buffer, CancellationToken ct)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await content.ReadAsync(buffer[total..], ct);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    // Refuses content shorter than declared, or (at the end) longer: one more byte must not be there.
    private static async Task CheckOfferedAsync(string key, Stream content, long readSoFar, long length, bool atEnd, CancellationToken ct)
    {
        if (readSoFar < length)
        {
            throw new BackupObjectCorruptedException(key, $"the content offered ended after {readSoFar} of the declared {length} bytes.");
        }

        if (atEnd && await content.ReadAsync(new byte[1], ct) > 0)
        {
            throw new BackupObjectCorruptedException(key, $"the content offered is longer than the declared {length} bytes.");
        }
    }

    // MD5 is what S3 defines Content-MD5 and ETags with: an integrity check against damage, not a security one.
#pragma warning disable CA5351
    internal static byte[] Md5(ReadOnlySpan<byte> data) => MD5.HashData(data);
#pragma warning restore CA5351

    // A missing bucket is a broken configuration, not a missing object (a HEAD cannot tell them apart: no body).
    private static bool IsNotFound(AmazonS3Exception e) => e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket";

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsClient)
        {
            _s3.Dispose();
        }
    }
}
