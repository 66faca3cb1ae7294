namespace Piramid.Contracts.Points;

/// <summary>Body of <c>POST /v1/collections/{name}/points</c>.</summary>
public sealed class UpsertPointsRequest
{
    /// <summary>1 to <see cref="Limits.MaxPointsPerUpsert"/> points, written all or nothing.</summary>
    public IReadOnlyList<PointInput>? Points { get; set; }
}
