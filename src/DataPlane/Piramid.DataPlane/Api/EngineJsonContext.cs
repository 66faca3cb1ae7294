using System.Text.Json.Serialization;
using Piramid.Contracts.Backups;
using Piramid.Contracts.Collections;
using Piramid.Contracts.Points;

namespace Piramid.DataPlane.Api;

/// <summary>
/// Source-generated JSON for every wire type (no reflection, AOT-safe). snake_case, and unknown fields
/// are refused so a typo such as <c>top_kk</c> is a 400 rather than a silently ignored setting.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = Piramid.Contracts.Json.WireJson.KnownNamingPolicy,
    UnmappedMemberHandling = Piramid.Contracts.Json.WireJson.ServerUnmappedMembers,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    MaxDepth = 64)]
[JsonSerializable(typeof(CreateCollectionRequest))]
[JsonSerializable(typeof(CollectionUpdateRequest))]
[JsonSerializable(typeof(CollectionInfo))]
[JsonSerializable(typeof(CollectionList))]
[JsonSerializable(typeof(UpsertPointsRequest))]
[JsonSerializable(typeof(WriteResult))]
[JsonSerializable(typeof(GetPointsRequest))]
[JsonSerializable(typeof(PointOutput))]
[JsonSerializable(typeof(PointsPage))]
[JsonSerializable(typeof(UpdatePointRequest))]
[JsonSerializable(typeof(DeletePointsRequest))]
[JsonSerializable(typeof(SearchRequest))]
[JsonSerializable(typeof(SearchResponse))]
[JsonSerializable(typeof(SearchBatchRequest))]
[JsonSerializable(typeof(SearchBatchResponse))]
[JsonSerializable(typeof(RecommendRequest))]
[JsonSerializable(typeof(SearchGroupsRequest))]
[JsonSerializable(typeof(SearchGroupsResponse))]
[JsonSerializable(typeof(ScrollRequest))]
[JsonSerializable(typeof(CountRequest))]
[JsonSerializable(typeof(CountResult))]
[JsonSerializable(typeof(Piramid.Contracts.Exports.ImportResult))]
[JsonSerializable(typeof(SnapshotRequest))]
[JsonSerializable(typeof(SnapshotManifest))]
[JsonSerializable(typeof(SealedSegmentList))]
[JsonSerializable(typeof(WalArchivedRequest))]
[JsonSerializable(typeof(WalArchiveStatus))]
[JsonSerializable(typeof(RestoreCreated))]
[JsonSerializable(typeof(RestoreApplyRequest))]
[JsonSerializable(typeof(RestoreApplyResult))]
[JsonSerializable(typeof(Piramid.Contracts.Auditing.EngineAuditPage))]
public sealed partial class EngineJsonContext : JsonSerializerContext
{
}
