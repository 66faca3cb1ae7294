namespace Piramid.Client.Models;

/// <summary>Index of a collection: <c>hnsw</c> (approximate, default) or <c>flat</c> (exact).</summary>
public sealed class IndexSettings
{
    /// <summary><c>hnsw</c> or <c>flat</c>.</summary>
    public string? Type { get; init; }

    /// <summary>HNSW: neighbours per node (2 to 128, default 16).</summary>
    public int? M { get; init; }

    /// <summary>HNSW: candidate list size while building (default 200).</summary>
    public int? EfConstruction { get; init; }

    /// <summary>HNSW: default candidate list size while searching (default 64).</summary>
    public int? Ef { get; init; }
}
