using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Piramid.ControlPlane.Tests.Backups;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit.S3;
using static Piramid.ControlPlane.Tests.AuditSinks.SinkTestSupport;

namespace Piramid.ControlPlane.Tests.AuditSinks;

/// <summary>
/// Continuous export to S3-compatible storage (moto_server on loopback): gzip NDJSON objects under
/// <c>{prefix}{tenant}/yyyy/MM/dd/HH-d…-…-c…-….ndjson.gz</c> whose concatenation in key order is the export (entries and
/// anchors) and verifies; an outage of the store is reported as a backlog and delivered without a gap when it is back.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class S3SinkTests(PostgresFixture postgres)
{
    private const string Secret = "sink-secret-never-echoed";

    [Fact]
    public async Task ObjectsConcatenatedInKeyOrder_Verify_AndAStoreOutageIsBackloggedThenDeliveredWithoutGaps()
    {
        var moto = await MotoServer.StartAsync();
        try
        {
            var bucket = await moto.CreateBucketAsync();
            await using var f = await BackupFixture.StartAsync(postgres, "sink-s3", store: Settings());
            await f.CreateCollectionAsync("docs", 4);
            await f.UpsertAsync("docs", 0, 3, 4, seed: 1);
            await f.UpsertAsync("docs", 3, 3, 4, seed: 4);
            using var put = await f.Admin.PutAsJsonAsync($"/v1/tenants/{f.Tenant}/audit/sink", new
            {
                kind = "s3",
                endpoint = moto.ServiceUrl.ToString(),
                bucket,
                prefix = "audit/",
                access_key_id = MotoServer.AccessKey,
                secret_access_key = Secret,
            });
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            var body = await put.Content.ReadAsStringAsync();
            Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
            Assert.DoesNotContain("secret", body, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, (await SinkAsync(f)).ToJsonString(), StringComparison.Ordinal);

            var export = await ExportLinesAsync(f); // anchors the engine's head, so the objects carry an anchor
            await WaitSinkAsync(f, s => Reached(s, ControlHead(export), DataHead(export)), "everything delivered");
            var objects = await ReadObjectsAsync(moto, bucket);
            Assert.All(objects.Keys, k => Assert.Matches($"^audit/{f.Tenant}/[0-9]{{4}}/[0-9]{{2}}/[0-9]{{2}}/[0-9]{{2}}-d[0-9]{{12}}-[0-9]{{12}}-c[0-9]{{12}}-[0-9]{{12}}\\.ndjson\\.gz$", k));
            Assert.True(objects.Count > 1, "a batch of 4 entries at most: the trail spans several objects");
            var first = Concatenate(objects);
            Assert.Equal(EntriesByKey(export), EntriesByKey(first.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
            Assert.Contains("{\"anchor\":", first, StringComparison.Ordinal);
            var verified = await VerifyAsync(f, first);
            Assert.True(verified.IsValid, verified.Problem);

            // The store goes away (moto keeps nothing): entries wait, the backlog and the error are reported.
            var port = moto.ServiceUrl.Port;
            await moto.DisposeAsync();
            await f.UpsertAsync("docs", 6, 2, 4, seed: 2);
            (await f.Admin.PostAsJsonAsync($"/v1/tenants/{f.Tenant}/api-keys", new { name = "during-outage", role = "read_only" })).EnsureSuccessStatusCode();
            await f.UpsertAsync("docs", 8, 2, 4, seed: 3);
            var failing = await WaitSinkAsync(f, s => (string)s["state"]! == "failing" && (long)s["backlog"]! == 3, "failing with a backlog of 3");
            Assert.StartsWith("s3 ", (string)failing["last_error"]!, StringComparison.Ordinal);
            Assert.Equal(DataHead(export), (long)failing["delivered_data_seq"]!);

            moto = await MotoServer.StartOnAsync(port);
            await moto.CreateBucketAsync(bucket);
            var all = await ExportLinesAsync(f);
            await WaitSinkAsync(f, s => Reached(s, ControlHead(all), DataHead(all)) && (string)s["state"]! == "delivering", "the backlog drained");
            var later = await ReadObjectsAsync(moto, bucket);

            // What the store held before the outage and what it holds since: together, the whole trail, verifying.
            var whole = Concatenate(objects.Concat(later).GroupBy(o => o.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal));
            Assert.Equal(EntriesByKey(all), EntriesByKey(whole.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
            verified = await VerifyAsync(f, whole);
            Assert.True(verified.IsValid, verified.Problem);
        }
        finally
        {
            await moto.DisposeAsync();
        }
    }

    /// <summary>Every object of the bucket, gunzipped, by key (shared with <see cref="S3SinkObjectsTests"/>).</summary>
    internal static async Task<Dictionary<string, string>> ReadObjectsAsync(MotoServer moto, string bucket)
    {
        using var client = new AmazonS3Client(new BasicAWSCredentials(MotoServer.AccessKey, MotoServer.SecretKey),
            new AmazonS3Config { ServiceURL = moto.ServiceUrl.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var list = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        foreach (var o in list.S3Objects ?? [])
        {
            using var response = await client.GetObjectAsync(bucket, o.Key);
            await using var gzip = new GZipStream(response.ResponseStream, CompressionMode.Decompress);
            using var reader = new StreamReader(gzip, Encoding.UTF8);
            result[o.Key] = await reader.ReadToEndAsync();
        }

        return result;
    }

    // As an auditor would: zcat of the objects in key order.
    internal static string Concatenate(Dictionary<string, string> objects) =>
        string.Concat(objects.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => o.Value));
}
