using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Piramid.Client.Json;
using Piramid.Client.Models;

namespace Piramid.Client;

public sealed partial class PiramidClient
{
    /// <summary>
    /// Inserts or replaces up to 1,000 points, all or nothing; answers once durable. <paramref name="idempotencyKey"/>
    /// (generated when null) is sent on every attempt.
    /// </summary>
    public Task<WriteResult> UpsertAsync(string collection, IReadOnlyList<Point> points, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(points);
        return WriteAsync(HttpMethod.Post, CollectionPath(collection, "points"), new UpsertBody(points), Json.UpsertBody, Json.WriteResult, idempotencyKey, cancellationToken);
    }

    /// <summary>One point; a missing point or collection throws <see cref="PiramidApiException"/> with status 404.</summary>
    public async Task<Point> GetPointAsync(string collection, string id, bool includeVector = false, CancellationToken cancellationToken = default)
    {
        var path = CollectionPath(collection, $"points/{Segment(id, nameof(id))}") + (includeVector ? "?include_vector=true" : string.Empty);
        return (await SendAsync(HttpMethod.Get, path, Json.Point, cancellationToken))!;
    }

    /// <summary>Points by id (up to 1,000), in request order; missing ids are left out.</summary>
    public async Task<IReadOnlyList<Point>> GetPointsAsync(string collection, IReadOnlyList<string> ids, bool includeVector = false, bool includeMetadata = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var body = new GetPointsBody(ids, includeVector ? true : null, includeMetadata ? null : false);
        return (await ReadAsync(HttpMethod.Post, CollectionPath(collection, "points/get"), body, Json.GetPointsBody, Json.PointsPage, cancellationToken)).Points;
    }

    /// <summary>
    /// Updates one point: <paramref name="metadata"/> is merged (a JSON null removes a field), <paramref name="vector"/> replaces.
    /// </summary>
    public Task<WriteResult> UpdatePointAsync(string collection, string id, JsonObject? metadata = null, float[]? vector = null, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        if (metadata is null && vector is null)
        {
            throw new ArgumentException("An update needs metadata, a vector, or both.", nameof(metadata));
        }

        var path = CollectionPath(collection, $"points/{Segment(id, nameof(id))}");
        return WriteAsync(HttpMethod.Patch, path, new UpdatePointBody(vector, metadata), Json.UpdatePointBody, Json.WriteResult, idempotencyKey, cancellationToken);
    }

    /// <summary>Deletes points by id (up to 1,000); absent ids are ignored.</summary>
    public Task<WriteResult> DeletePointsAsync(string collection, IReadOnlyList<string> ids, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return WriteAsync(HttpMethod.Post, CollectionPath(collection, "points/delete"), new DeletePointsBody(ids, null), Json.DeletePointsBody, Json.WriteResult, idempotencyKey, cancellationToken);
    }

    /// <summary>
    /// Deletes every point of the collection (the collection and its settings stay). The API refuses a filter that
    /// matches everything, so emptying a collection is always this explicit call.
    /// </summary>
    public Task<WriteResult> DeleteAllPointsAsync(string collection, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        WriteAsync(HttpMethod.Post, CollectionPath(collection, "points/delete"), new DeletePointsBody(null, null, true), Json.DeletePointsBody, Json.WriteResult, idempotencyKey, cancellationToken);

    /// <summary>Deletes every point matching <paramref name="filter"/> (a filter matching everything is refused: see <see cref="DeleteAllPointsAsync"/>).</summary>
    public Task<WriteResult> DeletePointsAsync(string collection, Filter filter, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return WriteAsync(HttpMethod.Post, CollectionPath(collection, "points/delete"), new DeletePointsBody(null, filter), Json.DeletePointsBody, Json.WriteResult, idempotencyKey, cancellationToken);
    }

    /// <summary>How many points, optionally only those matching <paramref name="filter"/>.</summary>
    public async Task<long> CountAsync(string collection, Filter? filter = null, CancellationToken cancellationToken = default) =>
        (await ReadAsync(HttpMethod.Post, CollectionPath(collection, "count"), new CountBody(filter), Json.CountBody, Json.CountResultBody, cancellationToken)).Count;

    /// <summary>One page of points in id order; pass the previous page's <see cref="PointsPage.NextCursor"/> as <paramref name="cursor"/>.</summary>
    public Task<PointsPage> ScrollPageAsync(string collection, ScrollOptions? options = null, string? cursor = null, CancellationToken cancellationToken = default)
    {
        var body = new ScrollBody(options?.Filter, options?.PageSize, cursor, options?.IncludeVector, options?.IncludeMetadata);
        return ReadAsync(HttpMethod.Post, CollectionPath(collection, "scroll"), body, Json.ScrollBody, Json.PointsPage, cancellationToken);
    }

    /// <summary>Every point (matching the filter), in id order, fetching page after page as the caller iterates.</summary>
    public async IAsyncEnumerable<Point> ScrollAsync(string collection, ScrollOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? cursor = null;
        do
        {
            var page = await ScrollPageAsync(collection, options, cursor, cancellationToken);
            foreach (var point in page.Points)
            {
                yield return point;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }
}
