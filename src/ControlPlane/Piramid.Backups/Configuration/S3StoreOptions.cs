namespace Piramid.Backups.Configuration;

/// <summary>The S3-compatible store's settings, under <c>Backups:S3</c>.</summary>
public sealed class S3StoreOptions
{
    /// <summary>S3's smallest part but the last; the largest this store holds in memory (S3 allows 5 GiB).</summary>
    public const long MinPartSizeBytes = 5L << 20, MaxPartSizeBytes = 1L << 30;

    /// <summary>Largest object sent in one request (it is held in memory whole).</summary>
    public const long MaxMultipartThresholdBytes = 1L << 30;

    /// <summary>Endpoint of an S3-compatible service (MinIO, moto, Ceph); empty for AWS itself.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>Bucket (it must exist: the store never creates one).</summary>
    public string Bucket { get; set; } = "";

    /// <summary>Key prefix inside the bucket, whole segments without a trailing '/' (e.g. <c>piramid/prod</c>); empty for none.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>Region the requests are signed for.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Access key id; empty to use the SDK's default credential chain (environment, instance role).</summary>
    public string? AccessKey { get; set; }

    /// <summary>Secret access key, with <see cref="AccessKey"/>.</summary>
    public string? SecretKey { get; set; }

    /// <summary>Path-style addressing (<c>http://host/bucket/key</c>), which most S3-compatible services need.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>
    /// Objects larger than this are uploaded in parts, which an interrupted put resumes. 8 MiB: a WAL segment or a
    /// manifest goes in one request, a checkpoint in parts.
    /// </summary>
    public long MultipartThresholdBytes { get; set; } = 8L << 20;

    /// <summary>
    /// Size of each part but the last (5 MiB to 1 GiB); one part is held in memory per put. Objects above 10,000
    /// parts (S3's limit: 78 GiB at 8 MiB) use larger parts, the same for the same length, so a resume still matches.
    /// </summary>
    public long PartSizeBytes { get; set; } = 8L << 20;

    /// <summary>Attempts per request, the first included; 5xx answers, throttling and timeouts are retried with backoff.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Longest a single request may take before it counts as timed out (and is retried).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
