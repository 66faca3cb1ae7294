namespace Piramid.Contracts.Points;

/// <summary>Body of <c>POST /v1/collections/{name}/points/get</c>.</summary>
/// <example>{"ids": ["a1", "a2"], "include_vector": true}</example>
public sealed class GetPointsRequest
{
    /// <summary>1 to <see cref="Limits.MaxIdsPerRequest"/> ids; missing ones are left out of the reply.</summary>
    public IReadOnlyList<string>? Ids { get; set; }

    /// <summary>Return vectors (default false).</summary>
    public bool? IncludeVector { get; set; }

    /// <summary>Return metadata (default true).</summary>
    public bool? IncludeMetadata { get; set; }
}
