using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Piramid.Contracts.Backups;
using Piramid.DataPlane.Tests.Support;

namespace Piramid.DataPlane.Tests.Backups;

/// <summary>The control plane's side of the engine's internal backup API, as the tests drive it over HTTP.</summary>
internal static class BackupCalls
{
    /// <summary>Takes a snapshot and downloads every file it lists (path → bytes), checking each size and hash.</summary>
    public static async Task<(JsonNode Manifest, Dictionary<string, byte[]> Files)> SnapshotAsync(HttpClient admin, params string[] collections)
    {
        var manifest = await admin.OkAsync(HttpMethod.Post, InternalBackupRoutes.Snapshots, collections.Length == 0 ? new { } : new { collections });
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var listed = manifest["files"]!.AsArray().Concat(manifest["collections"]!.AsArray().SelectMany(c => c!["files"]!.AsArray()));
        foreach (var file in listed)
        {
            var path = file!["path"]!.GetValue<string>();
            var bytes = await admin.GetByteArrayAsync(InternalBackupRoutes.SnapshotFile(manifest["snapshot_id"]!.GetValue<string>(), path));
            Assert.Equal(file["size"]!.GetValue<long>(), bytes.Length);
            Assert.Equal(file["sha256"]!.GetValue<string>(), Sha256(bytes));
            files[path] = bytes;
        }

        using var release = await admin.DeleteAsync(InternalBackupRoutes.Snapshot(manifest["snapshot_id"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NoContent, release.StatusCode);
        return (manifest, files);
    }

    /// <summary>Every sealed, unacknowledged segment (the archiver's view), downloaded: path (collection layout) → bytes.</summary>
    public static async Task<Dictionary<string, byte[]>> SealedSegmentsAsync(HttpClient admin)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var page = await admin.OkAsync(HttpMethod.Get, InternalBackupRoutes.SealedSegments + "?limit=2" + (cursor is null ? string.Empty : "&after=" + cursor));
            foreach (var s in page["segments"]!.AsArray())
            {
                var (id, file) = (s!["collection_id"]!.GetValue<string>(), s["file"]!.GetValue<string>());
                var bytes = await admin.GetByteArrayAsync(InternalBackupRoutes.Segment(id, file));
                Assert.Equal(s["sha256"]!.GetValue<string>(), Sha256(bytes));
                files[$"collections/{id}/wal/{file}"] = bytes;
            }

            cursor = page["next_cursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        return files;
    }

    /// <summary>Opens a restore and uploads the files with their hashes; returns the restore id.</summary>
    public static async Task<string> StageAsync(HttpClient admin, IReadOnlyDictionary<string, byte[]> files)
    {
        var created = await admin.OkAsync(HttpMethod.Post, InternalBackupRoutes.Restores);
        var id = created["restore_id"]!.GetValue<string>();
        foreach (var (path, bytes) in files)
        {
            using var response = await PutAsync(admin, id, path, bytes, Sha256(bytes));
            Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return id;
    }

    public static async Task<HttpResponseMessage> PutAsync(HttpClient admin, string restoreId, string path, byte[] bytes, string sha256)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, InternalBackupRoutes.RestoreFile(restoreId, path)) { Content = new ByteArrayContent(bytes) };
        request.Headers.Add(InternalBackupRoutes.Sha256Header, sha256);
        return await admin.SendAsync(request);
    }

    /// <summary>SHA-256 over every point (id, vector, metadata as the API returns them), in id order.</summary>
    public static async Task<string> ContentHashAsync(HttpClient http, string collection)
    {
        var points = await http.ScrollAllAsync(collection);
        var text = new StringBuilder();
        foreach (var (id, point) in points.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(id).Append('\n').Append(point.ToJsonString()).Append('\n');
        }

        return Sha256(Encoding.UTF8.GetBytes(text.ToString()));
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
