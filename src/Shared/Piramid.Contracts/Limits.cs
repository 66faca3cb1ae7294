namespace Piramid.Contracts;

/// <summary>Default limits of the public API (API.md, "Default limits"). Each is configurable per process.</summary>
public static class Limits
{
    /// <summary>Largest vector dimension.</summary>
    public const int MaxDimension = 20_000;

    /// <summary>
    /// Largest magnitude of a vector value. With |x| ≤ 1e15 a squared Euclidean distance is at most
    /// d·(2e15)² = 4e30·d and a dot product at most 1e30·d, so no score overflows float32 (3.4e38) below
    /// dimension 8.5e7, far above <see cref="MaxDimension"/>; real embeddings are many orders of magnitude smaller.
    /// </summary>
    public const float MaxVectorValue = 1e15f;

    /// <summary>Largest serialized metadata of one point, in bytes.</summary>
    public const int MaxMetadataBytes = 40 * 1024;

    /// <summary>Deepest metadata nesting (objects and arrays).</summary>
    public const int MaxMetadataDepth = 16;

    /// <summary>Most points in one upsert request.</summary>
    public const int MaxPointsPerUpsert = 1_000;

    /// <summary>Largest request body, in bytes.</summary>
    public const long MaxRequestBodyBytes = 16L * 1024 * 1024;

    /// <summary>Most ids in one get or delete request.</summary>
    public const int MaxIdsPerRequest = 1_000;

    /// <summary>Largest <c>top_k</c>.</summary>
    public const int MaxTopK = 10_000;

    /// <summary>Largest search <c>offset</c>; <c>offset + top_k</c> is at most <see cref="MaxTopK"/> too.</summary>
    public const int MaxSearchOffset = 10_000;

    /// <summary>Deepest filter nesting.</summary>
    public const int MaxFilterDepth = 16;

    /// <summary>Most conditions in one filter.</summary>
    public const int MaxFilterConditions = 1_000;

    /// <summary>Longest point id, in UTF-8 bytes.</summary>
    public const int MaxPointIdBytes = 64;

    /// <summary>Most searches in one batch request.</summary>
    public const int MaxBatchSearches = 100;

    /// <summary>Most examples (positive plus negative) in one recommend request.</summary>
    public const int MaxRecommendExamples = 100;

    /// <summary>Most groups, and most results per group, in one grouped search.</summary>
    public const int MaxGroups = 100;

    /// <summary>Most results of one batch search: the sum of its searches' <c>top_k</c>.</summary>
    public const int MaxBatchTopK = 10_000;

    /// <summary>
    /// Most vector values in one answer (results or points carrying a vector × dimension): 8 MB of float32, some
    /// 20 MB of JSON. Without it a scroll page of 10,000 points at dimension 20,000 would hold 800 MB.
    /// </summary>
    public const int MaxVectorValuesPerAnswer = 2_000_000;

    /// <summary>Most fields in a collection's metadata schema (each typed field is indexed).</summary>
    public const int MaxSchemaFields = 100;

    /// <summary>
    /// Most undeclared metadata fields a collection indexes (the first ones points hold; later ones are filtered by
    /// scanning). Each costs about 4-12 bytes per point holding it, plus ~150 bytes per distinct string value.
    /// </summary>
    public const int MaxAutoIndexedFields = 64;

    /// <summary>HNSW <c>m</c>: neighbours per node (twice that on the bottom layer).</summary>
    public const int MinHnswM = 2;

    /// <summary>Largest HNSW <c>m</c>.</summary>
    public const int MaxHnswM = 128;

    /// <summary>Smallest HNSW <c>ef_construction</c>.</summary>
    public const int MinEfConstruction = 4;

    /// <summary>Largest HNSW <c>ef_construction</c>: the candidate list of every insert.</summary>
    public const int MaxEfConstruction = 4_096;

    /// <summary>Largest page of a scroll.</summary>
    public const int MaxScrollLimit = 10_000;
}
