namespace Piramid.Contracts.Points;

/// <summary>Body of <c>POST /v1/collections/{name}/points</c>.</summary>
/// <example>{"points": [{"id": "a1", "vector": [0.1, 0.2, 0.3, 0.4], "metadata": {"genre": "drama", "year": 2004}}, {"id": "b7", "vector": [0.4, 0.3, 0.2, 0.1], "metadata": {"genre": "comedy", "year": 1999}}]}</example>
public sealed class UpsertPointsRequest
{
    /// <summary>1 to <see cref="Limits.MaxPointsPerUpsert"/> points, written all or nothing.</summary>
    public IReadOnlyList<PointInput>? Points { get; set; }
}
