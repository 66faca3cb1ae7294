using Microsoft.AspNetCore.Http.HttpResults;
using Piramid.Contracts.Backups;
using Piramid.DataPlane.Api;
using Piramid.Engine;
using Piramid.Engine.Backups;
using R = Piramid.Contracts.Backups.InternalBackupRoutes;

namespace Piramid.DataPlane.Backups;

/// <summary>Staged restores: open, upload verified files, apply with an atomic switch, discard.</summary>
internal static class RestoresApi
{
    public static JsonBody<RestoreCreated> Create(VectorEngine engine)
    {
        var id = engine.CreateRestore();
        return JsonBody.Created(R.Restore(id), new RestoreCreated(id));
    }

    public static async Task<NoContent> PutFile(string restoreId, string path, HttpContext context, VectorEngine engine)
    {
        BackupsApi.AllowLargeBody(context);
        var sha256 = context.Request.Headers[R.Sha256Header].ToString();
        await engine.StageRestoreFileAsync(restoreId, path, context.Request.Body, sha256.Length == 0 ? null : sha256, context.RequestAborted);
        return TypedResults.NoContent();
    }

    public static async Task<JsonBody<RestoreApplyResult>> Apply(string restoreId, HttpContext context, VectorEngine engine)
    {
        var request = await ApiSupport.ReadJsonAsync(context, EngineJsonContext.Default.RestoreApplyRequest, optional: true);
        var target = request.Target switch
        {
            null => RestorePoint.End,
            { Lsn: not null, At: not null } => throw EngineException.Invalid("'target': give either 'lsn' or 'at', not both."),
            { Lsn: < 0 } => throw EngineException.Invalid("'target.lsn' must be 0 or more."),
            { Lsn: null, At: null } => throw EngineException.Invalid("'target': give 'lsn' or 'at' (or leave 'target' out to restore everything staged)."),
            var t => new RestorePoint(t.Lsn, t.At),
        };
        var restored = await engine.ApplyRestoreAsync(restoreId, request.Collections, request.Rename, target);
        return JsonBody.Ok(new RestoreApplyResult([.. restored.Select(r => new RestoredCollection(r.Name, r.Lsn, r.Points))]));
    }

    public static async Task<NoContent> Discard(string restoreId, VectorEngine engine)
    {
        await engine.DiscardRestoreAsync(restoreId);
        return TypedResults.NoContent();
    }
}
