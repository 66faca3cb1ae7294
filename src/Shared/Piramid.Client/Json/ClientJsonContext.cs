using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Piramid.Client.Models;

namespace Piramid.Client.Json;

/// <summary>Source-generated serialization: no reflection, so the client trims and compiles Native AOT.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(CollectionSettings))]
[JsonSerializable(typeof(CollectionInfo))]
[JsonSerializable(typeof(CollectionListBody))]
[JsonSerializable(typeof(UpsertBody))]
[JsonSerializable(typeof(Point))]
[JsonSerializable(typeof(GetPointsBody))]
[JsonSerializable(typeof(PointsPage))]
[JsonSerializable(typeof(UpdatePointBody))]
[JsonSerializable(typeof(DeletePointsBody))]
[JsonSerializable(typeof(WriteResult))]
[JsonSerializable(typeof(ScrollBody))]
[JsonSerializable(typeof(CountBody))]
[JsonSerializable(typeof(CountResultBody))]
[JsonSerializable(typeof(SearchQuery))]
[JsonSerializable(typeof(SearchResultsBody))]
[JsonSerializable(typeof(SearchBatchBody))]
[JsonSerializable(typeof(SearchBatchResultsBody))]
[JsonSerializable(typeof(RecommendQuery))]
[JsonSerializable(typeof(GroupsQuery))]
[JsonSerializable(typeof(GroupsResultsBody))]
[JsonSerializable(typeof(ProblemBody))]
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class ClientJsonContext : JsonSerializerContext;
