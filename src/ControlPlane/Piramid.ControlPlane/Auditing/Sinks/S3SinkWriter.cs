using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Auditing;

namespace Piramid.ControlPlane.Auditing.Sinks;

/// <summary>A position of the sink's cursor, per source.</summary>
/// <param name="Control">The newest control log position delivered.</param>
/// <param name="Data">The newest engine sequence delivered.</param>
public readonly record struct SinkPosition(long Control, long Data);

/// <summary>One S3 object of a batch: a run of entries of one UTC hour, and the cursor before and after it.</summary>
/// <param name="Hour">The UTC hour of its entries.</param>
/// <param name="Entries">Its entries, in the batch's order.</param>
/// <param name="Start">The cursor before its first entry.</param>
/// <param name="End">The cursor after its last entry.</param>
public sealed record SinkObject(DateTimeOffset Hour, IReadOnlyList<AuditEventInfo> Entries, SinkPosition Start, SinkPosition End);

/// <summary>
/// Delivers a batch to S3-compatible storage as gzip NDJSON objects, one per run of entries of one UTC hour, keyed
/// <c>{prefix}{tenant}/{yyyy}/{MM}/{dd}/{HH}-d{first:D12}-{last:D12}-c{first:D12}-{last:D12}.ndjson.gz</c> by the first
/// and last engine sequence and control log position the object holds (a source it holds none of: first is one past
/// the cursor, last the cursor). The key is a function of the content alone: sent again with the same entries, an
/// object overwrites itself; a batch split differently never lands on an older object's key. Lines are exactly those
/// of the NDJSON export, then the anchors the delivery hands it; the objects of a tenant concatenated in key order
/// verify with <c>piramid-audit verify</c>.
/// </summary>
public sealed class S3SinkWriter(AuditSinkOptions options)
{
    private static readonly JsonSerializerOptions Json = Piramid.Contracts.Json.WireJson.Options;

    /// <summary>The object key of <paramref name="o"/>: its hour and the positions it holds.</summary>
    public static string KeyOf(string? prefix, string tenantId, SinkObject o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var h = o.Hour.UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture,
            $"{prefix}{tenantId}/{h:yyyy}/{h:MM}/{h:dd}/{h:HH}-d{o.Start.Data + 1:D12}-{o.End.Data:D12}-c{o.Start.Control + 1:D12}-{o.End.Control:D12}.ndjson.gz");
    }

    /// <summary>
    /// Splits a batch read after <paramref name="start"/> into objects, one per run of entries of one UTC hour.
    /// <paramref name="positions"/> holds each entry's cursor position (control log position or engine sequence); each
    /// source's entries come in position order, so the cursor after an object covers everything before it.
    /// </summary>
    public static List<SinkObject> Split(SinkPosition start, IReadOnlyList<AuditEventInfo> entries, IReadOnlyList<long> positions)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(positions);
        var objects = new List<SinkObject>();
        var position = start;
        for (var i = 0; i < entries.Count;)
        {
            // Control events of the same hour may come apart: an auth.failed event carries the time the gateway last
            // saw it, not its position's.
            var hour = HourOf(entries[i].Time);
            var run = new List<AuditEventInfo>();
            var end = position;
            for (; i < entries.Count && HourOf(entries[i].Time) == hour; i++)
            {
                run.Add(entries[i]);
                end = entries[i].Source == AuditSources.Data ? end with { Data = positions[i] } : end with { Control = positions[i] };
            }

            objects.Add(new SinkObject(hour, run, position, end));
            position = end;
        }

        return objects;
    }

    /// <summary>
    /// Uploads <paramref name="objects"/> in order, each with the anchors <paramref name="anchorsOf"/> gives it, and
    /// calls <paramref name="written"/> after each one the store took (so the cursor moves object by object); stops at
    /// the first failure with an <see cref="AuditSinkException"/>.
    /// </summary>
    public async Task WriteAsync(
        S3Target target, string tenantId, IReadOnlyList<SinkObject> objects,
        Func<SinkObject, IReadOnlyList<AuditAnchor>> anchorsOf, Func<SinkObject, Task> written, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(anchorsOf);
        ArgumentNullException.ThrowIfNull(written);
        await SinkAddressPolicy.ResolveAsync(target.Endpoint.IdnHost, options.AllowPrivateAddresses, ct);
        var config = new AmazonS3Config
        {
            ServiceURL = target.Endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = target.Region,
            MaxErrorRetry = 0, // the next round retries; the cursor has not moved
            Timeout = options.DeliveryTimeout,
            HttpClientFactory = new SinkHttpClientFactory(options), // checks the address connected to; no redirects
        };
        using var client = new AmazonS3Client(new BasicAWSCredentials(target.AccessKeyId, target.SecretAccessKey), config);
        foreach (var o in objects)
        {
            var key = KeyOf(target.Prefix, tenantId, o);
            var body = Compress(o.Entries, anchorsOf(o));
            try
            {
                using var stream = new MemoryStream(body);
                await client.PutObjectAsync(new PutObjectRequest { BucketName = target.Bucket, Key = key, InputStream = stream, ContentType = "application/gzip" }, ct);
            }
            catch (AmazonServiceException e)
            {
                // Status and error code only: the store's message is its text, shown to the tenant in last_error.
                throw new AuditSinkException($"s3 {target.Bucket}/{key}: {(int)e.StatusCode} {e.ErrorCode}", e);
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

            await written(o);
        }
    }

    private static DateTimeOffset HourOf(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    private static byte[] Compress(IReadOnlyList<AuditEventInfo> entries, IEnumerable<AuditAnchor> anchors)
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
