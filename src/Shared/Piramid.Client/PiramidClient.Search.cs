using Piramid.Client.Json;
using Piramid.Client.Models;

namespace Piramid.Client;

public sealed partial class PiramidClient
{
    /// <summary>
    /// The points nearest to the query vector, or to the stored point <see cref="SearchQuery.Id"/> (which is left out),
    /// best first; <see cref="SearchQuery.Offset"/> pages deeper into the same ranking.
    /// </summary>
    public async Task<IReadOnlyList<ScoredPoint>> SearchAsync(string collection, SearchQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return (await ReadAsync(HttpMethod.Post, CollectionPath(collection, "search"), query, Json.SearchQuery, Json.SearchResultsBody, cancellationToken)).Results;
    }

    /// <summary>Several searches (1 to 100) in one request, run in parallel; one result list per search, in order.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<ScoredPoint>>> SearchBatchAsync(string collection, IReadOnlyList<SearchQuery> queries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var answer = await ReadAsync(HttpMethod.Post, CollectionPath(collection, "search/batch"), new SearchBatchBody(queries), Json.SearchBatchBody, Json.SearchBatchResultsBody, cancellationToken);
        return [.. answer.Batches.Select(b => b.Results)];
    }

    /// <summary>Points like the positive examples and unlike the negative ones; examples never appear in the results.</summary>
    public async Task<IReadOnlyList<ScoredPoint>> RecommendAsync(string collection, RecommendQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return (await ReadAsync(HttpMethod.Post, CollectionPath(collection, "recommend"), query, Json.RecommendQuery, Json.SearchResultsBody, cancellationToken)).Results;
    }

    /// <summary>The best points per value of a metadata field, best group first.</summary>
    public async Task<IReadOnlyList<PointGroup>> SearchGroupsAsync(string collection, GroupsQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return (await ReadAsync(HttpMethod.Post, CollectionPath(collection, "search/groups"), query, Json.GroupsQuery, Json.GroupsResultsBody, cancellationToken)).Groups;
    }
}
