using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Piramid.Contracts;
using Piramid.Contracts.Backups;
using Piramid.Contracts.Identity;
using Piramid.Contracts.Json;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Orchestration;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Backups;

/// <summary>
/// The control plane's client of an engine's internal backup API (docs/design/backups.md): every request is signed
/// with the engine's secret as principal <c>control-plane</c>, role <c>platform_admin</c> (internal-auth.md), sent to
/// the route the orchestrator knows. An engine that does not run is a 503 <c>engine-unavailable</c>; an engine's
/// problem answer is rethrown as the same problem, so a failed operation says what the engine said.
/// </summary>
public sealed class EngineBackupClient(IEngineOrchestrator orchestrator, TimeProvider time) : IDisposable
{
    /// <summary>The principal engines record for the control plane's calls.</summary>
    public const string Principal = "control-plane";

    private readonly HttpClient _http = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5), PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        // Files stream for as long as they take; each call is bounded by its operation's cancellation.
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>Takes a snapshot of <paramref name="collections"/> (null = all).</summary>
    public async Task<SnapshotManifest> CreateSnapshotAsync(string tenantId, IReadOnlyList<string>? collections, CancellationToken ct)
    {
        using var response = await SendAsync(tenantId, HttpMethod.Post, InternalBackupRoutes.Snapshots, Json(new SnapshotRequest { Collections = collections }), ct);
        return await ReadAsync<SnapshotManifest>(response, ct);
    }

    /// <summary>Streams one snapshot file; the caller disposes the response.</summary>
    public Task<HttpResponseMessage> OpenSnapshotFileAsync(string tenantId, string snapshotId, string path, CancellationToken ct) =>
        SendAsync(tenantId, HttpMethod.Get, InternalBackupRoutes.SnapshotFile(snapshotId, EscapePath(path)), null, ct, HttpCompletionOption.ResponseHeadersRead);

    /// <summary>Releases a snapshot (a missing one is no error: it expires on its own).</summary>
    public async Task ReleaseSnapshotAsync(string tenantId, string snapshotId, CancellationToken ct)
    {
        using var response = await SendAsync(tenantId, HttpMethod.Delete, InternalBackupRoutes.Snapshot(snapshotId), null, ct, allowNotFound: true);
    }

    /// <summary>Sealed segments after <paramref name="cursor"/>.</summary>
    public async Task<SealedSegmentList> SealedSegmentsAsync(string tenantId, string? cursor, CancellationToken ct)
    {
        var path = InternalBackupRoutes.SealedSegments + (cursor is null ? "" : "?after=" + Uri.EscapeDataString(cursor));
        using var response = await SendAsync(tenantId, HttpMethod.Get, path, null, ct);
        return await ReadAsync<SealedSegmentList>(response, ct);
    }

    /// <summary>Streams one sealed segment; the caller disposes the response.</summary>
    public Task<HttpResponseMessage> OpenSegmentAsync(string tenantId, string collectionId, string file, CancellationToken ct) =>
        SendAsync(tenantId, HttpMethod.Get, InternalBackupRoutes.Segment(collectionId, Uri.EscapeDataString(file)), null, ct, HttpCompletionOption.ResponseHeadersRead);

    /// <summary>Tells the engine a collection's log is archived through <paramref name="throughLsn"/>.</summary>
    public async Task AcknowledgeArchivedAsync(string tenantId, string collectionId, long throughLsn, CancellationToken ct)
    {
        using var response = await SendAsync(tenantId, HttpMethod.Post, InternalBackupRoutes.Archived,
            Json(new WalArchivedRequest { CollectionId = collectionId, ThroughLsn = throughLsn }), ct);
    }

    /// <summary>The engine's archive state per collection.</summary>
    public async Task<WalArchiveStatus> ArchiveStatusAsync(string tenantId, CancellationToken ct)
    {
        using var response = await SendAsync(tenantId, HttpMethod.Get, InternalBackupRoutes.ArchiveStatus, null, ct);
        return await ReadAsync<WalArchiveStatus>(response, ct);
    }

    /// <summary>Opens a staging area for a restore.</summary>
    public async Task<string> CreateRestoreAsync(string tenantId, CancellationToken ct)
    {
        using var response = await SendAsync(tenantId, HttpMethod.Post, InternalBackupRoutes.Restores, Json(new { }), ct);
        return (await ReadAsync<RestoreCreated>(response, ct)).RestoreId;
    }

    /// <summary>Uploads one file into a staging area; the engine checks its SHA-256.</summary>
    public async Task PutRestoreFileAsync(string tenantId, string restoreId, string path, Stream content, long length, string sha256Hex, CancellationToken ct)
    {
        using var body = new StreamContent(content);
        body.Headers.ContentLength = length;
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        using var response = await SendAsync(tenantId, HttpMethod.Put, InternalBackupRoutes.RestoreFile(restoreId, EscapePath(path)), body, ct,
            headers: [(InternalBackupRoutes.Sha256Header, sha256Hex)]);
    }

    /// <summary>Applies a staging area: the engine loads, replays to the target and swaps atomically.</summary>
    public async Task<RestoreApplyResult> ApplyRestoreAsync(string tenantId, string restoreId, RestoreApplyRequest request, CancellationToken ct)
    {
        using var response = await SendAsync(tenantId, HttpMethod.Post, InternalBackupRoutes.Apply(restoreId), Json(request), ct);
        return await ReadAsync<RestoreApplyResult>(response, ct);
    }

    /// <summary>Discards a staging area (best effort: the engine removes leftovers at start anyway).</summary>
    public async Task DiscardRestoreAsync(string tenantId, string restoreId, CancellationToken ct)
    {
        using var response = await SendAsync(tenantId, HttpMethod.Delete, InternalBackupRoutes.Restore(restoreId), null, ct, allowNotFound: true);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static JsonContent Json<T>(T body) => JsonContent.Create(body, options: WireJson.Options);

    // A file path's segments are escaped one by one; its slashes stay (the engine's route is a catch-all).
    private static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private async Task<HttpResponseMessage> SendAsync(
        string tenantId, HttpMethod method, string pathAndQuery, HttpContent? content, CancellationToken ct,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead, bool allowNotFound = false,
        IReadOnlyList<(string Name, string Value)>? headers = null)
    {
        using var awake = orchestrator.KeepAwake(tenantId, EngineHolds.Current);
        var route = await orchestrator.RouteOrWakeAsync(tenantId, ct); // A hibernating engine is woken (hibernation.md).
        if (route is null)
        {
            throw new ProblemException(ProblemCatalog.EngineUnavailable, $"The engine of tenant '{tenantId}' is not running; resume the tenant and try again.");
        }

        var uri = new Uri(route.Endpoint, pathAndQuery);
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        var identity = new InternalIdentity(Principal, tenantId, Roles.PlatformAdmin, method.Method, uri.AbsolutePath,
            time.GetUtcNow().ToUnixTimeMilliseconds(), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), []);
        request.Headers.Add(HeaderNames.Identity, InternalIdentitySigner.Sign(identity, route.EngineSecret));
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.Add(name, value);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, ct);
        }
        catch (HttpRequestException e)
        {
            throw new ProblemException(ProblemCatalog.EngineUnavailable, $"The engine of tenant '{tenantId}' did not answer ({e.HttpRequestError}).");
        }

        if (response.IsSuccessStatusCode || (allowNotFound && response.StatusCode == HttpStatusCode.NotFound))
        {
            return response;
        }

        using (response)
        {
            throw await ProblemOfAsync(response, method, uri.AbsolutePath, ct);
        }
    }

    private static async Task<ProblemException> ProblemOfAsync(HttpResponseMessage response, HttpMethod method, string path, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        string? type = null;
        string? detail = null;
        try
        {
            var body = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
            type = body?["type"]?.GetValue<string>();
            detail = body?["detail"]?.GetValue<string>();
        }
        catch (JsonException)
        {
        }

        var kind = ProblemCatalog.FindByType(type) ?? ProblemCatalog.ForStatus(status);
        return new ProblemException(kind, detail ?? $"The engine answered {status} to {method} {path}.");
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct) =>
        await response.Content.ReadFromJsonAsync<T>(WireJson.Options, ct)
        ?? throw new ProblemException(ProblemCatalog.Internal, $"The engine answered an empty {typeof(T).Name}.");
}
