using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Auditing;

namespace Piramid.ControlPlane.Auditing.Sinks;

/// <summary>Where one S3 object of a batch starts: the cursor before its first entry, per source.</summary>
/// <param name="Control">The newest control-plane event id delivered before it.</param>
/// <param name="Data">The newest engine sequence delivered before it.</param>
public readonly record struct SinkPosition(long Control, long Data);

/// <summary>
/// Delivers a batch to S3-compatible storage as gzip NDJSON objects, one per UTC hour of the entries' times, keyed
/// <c>{prefix}{tenant}/{yyyy}/{MM}/{dd}/{HH}-d{first data seq:D12}-c{first control id:D12}.ndjson.gz</c> where the
/// numbers are the first sequence of each source the object may hold (one past the cursor before it). The key depends
/// only on the cursor, so a batch sent again after a crash overwrites the same object (with the same entries, or more
/// of the same hour). Lines are exactly those of the NDJSON export, then the anchors of the engine entries it holds;
/// the objects of a tenant concatenated in key order verify with <c>piramid-audit verify</c>.
/// </summary>
public sealed class S3SinkWriter(AuditSinkOptions options)
{
    private static readonly JsonSerializerOptions Json = Piramid.Contracts.Json.WireJson.Options;

    /// <summary>The object key of entries of <paramref name="hour"/> starting after <paramref name="start"/>.</summary>
    public static string KeyOf(string? prefix, string tenantId, DateTimeOffset hour, SinkPosition start) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{prefix}{tenantId}/{hour.UtcDateTime:yyyy}/{hour.UtcDateTime:MM}/{hour.UtcDateTime:dd}/{hour.UtcDateTime:HH}-d{start.Data + 1:D12}-c{start.Control + 1:D12}.ndjson.gz");

    /// <summary>Uploads the batch, hour by hour; returns the keys written.</summary>
    public async Task<List<string>> WriteAsync(
        S3Target target, string tenantId, SinkPosition start, IReadOnlyList<AuditEventInfo> entries, IReadOnlyList<AuditAnchor> anchors, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        await SinkAddressPolicy.ResolveAsync(target.Endpoint.IdnHost, options.AllowPrivateAddresses, ct);
        var config = new AmazonS3Config
        {
            ServiceURL = target.Endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = target.Region,
            MaxErrorRetry = 0, // the next round retries; the cursor has not moved
            Timeout = options.DeliveryTimeout,
        };
        using var client = new AmazonS3Client(new BasicAWSCredentials(target.AccessKeyId, target.SecretAccessKey), config);
        var keys = new List<string>();
        var position = start;
        foreach (var hour in entries.GroupBy(e => HourOf(e.Time)))
        {
            var group = hour.ToList();
            var lastData = group.LastOrDefault(e => e.Source == AuditSources.Data)?.Seq ?? position.Data;
            var key = KeyOf(target.Prefix, tenantId, hour.Key, position);
            var body = Compress(group, anchors.Where(a => a.EngineSeq > position.Data && a.EngineSeq <= lastData));
            try
            {
                using var stream = new MemoryStream(body);
                await client.PutObjectAsync(new PutObjectRequest { BucketName = target.Bucket, Key = key, InputStream = stream, ContentType = "application/gzip" }, ct);
            }
            catch (AmazonServiceException e)
            {
                throw new AuditSinkException($"s3 {target.Bucket}/{key}: {(int)e.StatusCode} {e.ErrorCode} ({e.Message})", e);
            }
            catch (HttpRequestException e)
            {
                throw new AuditSinkException($"s3 {target.Endpoint}: {e.HttpRequestError} ({e.Message})", e);
            }
            catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
            {
                throw new AuditSinkException($"s3 {target.Endpoint}: no answer within {options.DeliveryTimeout}", e);
            }
            catch (Exception e) when (e is not (OperationCanceledException or AuditSinkException))
            {
                // The SDK wraps connection failures in several ways; each one is the store being unreachable.
                throw new AuditSinkException($"s3 {target.Endpoint}: {e.GetType().Name} ({e.Message})", e);
            }

            keys.Add(key);
            position = new SinkPosition(
                group.LastOrDefault(e => e.Source == AuditSources.Control)?.Seq ?? position.Control, lastData);
        }

        return keys;
    }

    private static DateTimeOffset HourOf(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    private static byte[] Compress(List<AuditEventInfo> entries, IEnumerable<AuditAnchor> anchors)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            foreach (var e in entries)
            {
                JsonSerializer.Serialize(gzip, e, Json);
                gzip.WriteByte((byte)'\n');
            }

            foreach (var a in anchors)
            {
                JsonSerializer.Serialize(gzip, new AuditExportAnchorLine(a), Json);
                gzip.WriteByte((byte)'\n');
            }
        }

        return output.ToArray();
    }
}

/// <summary>An S3 sink's destination with its secret opened.</summary>
/// <param name="Endpoint">Service URL.</param>
/// <param name="Bucket">Bucket.</param>
/// <param name="Region">Signing region.</param>
/// <param name="Prefix">Key prefix.</param>
/// <param name="AccessKeyId">Access key id.</param>
/// <param name="SecretAccessKey">Secret key.</param>
public sealed record S3Target(Uri Endpoint, string Bucket, string Region, string? Prefix, string AccessKeyId, string SecretAccessKey);
