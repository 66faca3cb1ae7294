using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Piramid.Contracts.Backups;
using Piramid.Contracts.Identity;
using Piramid.DataPlane.Api;
using Piramid.DataPlane.Security;
using Piramid.Engine;
using Piramid.Engine.Backups;
using R = Piramid.Contracts.Backups.InternalBackupRoutes;

namespace Piramid.DataPlane.Backups;

/// <summary>
/// The engine's internal backup API (docs/design/backups.md): snapshots, sealed WAL segments for log archiving, and
/// staged restores. Called by the control plane only, with role <c>platform_admin</c>; the gateway never routes here.
/// </summary>
public static class BackupsApi
{
    /// <summary>Maps the routes under <c>/internal/v1/</c>.</summary>
    public static IEndpointRouteBuilder MapBackupsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(string.Empty).AddEndpointFilter(RequirePlatformAdmin).AddEndpointFilter(ApiSupport.HandleErrors);
        group.MapPost(R.Snapshots, CreateSnapshot);
        group.MapGet(R.Snapshots + "/{snapshotId}/files/{**path}", SnapshotFile);
        group.MapDelete(R.Snapshots + "/{snapshotId}", ReleaseSnapshot);
        group.MapGet(R.SealedSegments, WalArchiveApi.ListSealed);
        group.MapGet("/internal/v1/wal/segments/{collectionId}/{file}", WalArchiveApi.Segment);
        group.MapPost(R.Archived, WalArchiveApi.Archived);
        group.MapGet(R.ArchiveStatus, WalArchiveApi.Status);
        group.MapPost(R.Restores, RestoresApi.Create);
        group.MapPut(R.Restores + "/{restoreId}/files/{**path}", RestoresApi.PutFile);
        group.MapPost(R.Restores + "/{restoreId}/apply", RestoresApi.Apply);
        group.MapDelete(R.Restores + "/{restoreId}", RestoresApi.Discard);
        return app;
    }

    /// <summary>A whole file as <c>application/octet-stream</c>, streamed.</summary>
    internal static IResult StreamFile(string path) =>
        TypedResults.Stream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan), "application/octet-stream");

    /// <summary>Lifts the body limit of the data API for one upload: staged checkpoints are as large as a collection.</summary>
    internal static void AllowLargeBody(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }
    }

    private static async ValueTask<object?> RequirePlatformAdmin(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var identity = context.HttpContext.Items[InternalAuthMiddleware.ItemKey] as InternalIdentity;
        if (identity?.Role != Roles.PlatformAdmin)
        {
            return Piramid.ServiceDefaults.ProblemResults.For(
                Piramid.Contracts.Problems.ProblemCatalog.Forbidden, "Only the control plane (role platform_admin) may use the backup API.");
        }

        return await next(context);
    }

    private static async Task<IResult> CreateSnapshot(HttpContext context, VectorEngine engine)
    {
        var request = await ApiSupport.ReadJsonAsync(context, EngineJsonContext.Default.SnapshotRequest, optional: true);
        var snapshot = await Task.Run(() => engine.CreateSnapshot(request.Collections));
        return JsonBody.Created(R.Snapshot(snapshot.Id), ToWire(snapshot));
    }

    private static IResult SnapshotFile(string snapshotId, string path, VectorEngine engine) => StreamFile(engine.SnapshotFile(snapshotId, path));

    private static NoContent ReleaseSnapshot(string snapshotId, VectorEngine engine)
    {
        engine.ReleaseSnapshot(snapshotId);
        return TypedResults.NoContent();
    }

    private static SnapshotManifest ToWire(EngineSnapshot s) => new(
        s.Id,
        s.CreatedAt,
        [.. s.Collections.Select(c => new SnapshotCollection(c.Name, c.CollectionId, c.Lsn, [.. c.Files.Select(ToWire)]))],
        [.. s.Files.Select(ToWire)]);

    private static SnapshotFile ToWire(BackupFile f) => new(f.Path, f.Size, f.Sha256);
}
