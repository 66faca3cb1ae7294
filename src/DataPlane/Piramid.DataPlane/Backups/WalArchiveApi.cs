using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Piramid.Contracts.Backups;
using Piramid.DataPlane.Api;
using Piramid.Engine;
using Piramid.Engine.Backups;

namespace Piramid.DataPlane.Backups;

/// <summary>Log archiving: list and stream sealed segments, take acknowledgements, report the archive state.</summary>
internal static class WalArchiveApi
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1000;

    public static JsonBody<SealedSegmentList> ListSealed(HttpContext context, VectorEngine engine)
    {
        var query = context.Request.Query;
        var after = query["after"].ToString();
        var limitText = query["limit"].ToString();
        var limit = DefaultLimit;
        if (limitText.Length > 0 && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            throw EngineException.Invalid($"'limit' must be an integer from 1 to {MaxLimit}.");
        }

        var (segments, next) = engine.ListSealedSegments(after.Length == 0 ? null : after, limit);
        return JsonBody.Ok(new SealedSegmentList([.. segments.Select(ToWire)], next));
    }

    public static IResult Segment(string collectionId, string file, VectorEngine engine) =>
        BackupsApi.StreamFile(engine.SealedSegmentFile(collectionId, file));

    public static async Task<NoContent> Archived(HttpContext context, VectorEngine engine)
    {
        var request = await ApiSupport.ReadJsonAsync(context, EngineJsonContext.Default.WalArchivedRequest);
        if (request.CollectionId is null)
        {
            throw EngineException.Invalid("'collection_id' is required.");
        }

        if (request.ThroughLsn is not long through || through < 0)
        {
            throw EngineException.Invalid("'through_lsn' is required and must be 0 or more.");
        }

        engine.MarkArchived(request.CollectionId, through);
        return TypedResults.NoContent();
    }

    public static JsonBody<WalArchiveStatus> Status(VectorEngine engine)
    {
        var status = engine.ArchiveStatus();
        return JsonBody.Ok(new WalArchiveStatus(
            [.. status.Collections.Select(c => new WalArchiveCollectionStatus(
                c.Name, c.CollectionId, c.CreatedAt, c.LastLsn, c.NewestSealedLsn, c.NewestSealedTime, c.ArchivedThroughLsn, c.UnarchivedSegments, c.UnarchivedBytes, c.DroppedUnarchivedThroughLsn,
                c.SettingsSha256, c.SettingsWrittenAt))],
            status.UnarchivedBytes,
            status.UnarchivedLimitBytes,
            (long)status.RecoveryWindow.TotalSeconds,
            [.. status.Dropped.Select(d => new DroppedCollection(d.Name, d.CollectionId, d.DroppedAt))]));
    }

    private static SealedSegment ToWire(SealedSegmentEntry s) =>
        new(s.Collection, s.CollectionId, s.File, s.FirstLsn, s.LastLsn, s.FirstTime, s.LastTime, s.Size, s.Sha256);
}
