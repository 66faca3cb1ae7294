namespace Piramid.Client.Models;

/// <summary>
/// A similarity search (body of <c>POST /v1/collections/{name}/search</c>): by a query <see cref="Vector"/> or by the
/// <see cref="Id"/> of a stored point, exactly one of them.
/// </summary>
public sealed class SearchQuery : QueryOptions
{
    /// <summary>The query vector, of the collection's dimension; exactly one of this and <see cref="Id"/>.</summary>
    public float[]? Vector { get; init; }

    /// <summary>
    /// Search by a stored point: its vector is the query and the point itself is left out of the results. Exactly one
    /// of this and <see cref="Vector"/>; an id that does not exist is a 404.
    /// </summary>
    public string? Id { get; init; }

    /// <summary>Results wanted, 1 to 10,000 (server default 10).</summary>
    public int? TopK { get; init; }

    /// <summary>Ranks to skip (server default 0; <c>offset + top_k</c> at most 10,000): page n of size k is offset n·k.</summary>
    public int? Offset { get; init; }

    /// <summary>A search by the stored point <paramref name="id"/>.</summary>
    public static SearchQuery ByPoint(string id, int? topK = null, int? offset = null) => new() { Id = id, TopK = topK, Offset = offset };
}
