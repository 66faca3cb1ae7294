using System.ComponentModel.DataAnnotations;
namespace Piramid.Contracts.Collections;

/// <summary>Index settings of a collection.</summary>
public sealed class IndexSettings
{
    /// <summary><c>hnsw</c> or <c>flat</c> (exact search).</summary>
    [AllowedValues("hnsw", "flat")]
    public string? Type { get; set; }

    /// <summary>HNSW: neighbours per node.</summary>
    public int? M { get; set; }

    /// <summary>HNSW: candidate list size while building.</summary>
    public int? EfConstruction { get; set; }

    /// <summary>HNSW: default candidate list size while searching.</summary>
    public int? Ef { get; set; }
}
