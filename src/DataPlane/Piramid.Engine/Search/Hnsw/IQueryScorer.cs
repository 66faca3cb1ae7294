namespace Piramid.Engine.Search.Hnsw;

/// <summary>
/// Scores stored slots against one prepared query (higher is closer). Implemented by structs and used as a
/// generic argument, so the graph walk is specialized per metric and representation (float or int8 codes).
/// </summary>
internal interface IQueryScorer
{
    /// <summary>The score of <paramref name="slot"/>'s vector for the query.</summary>
    float Score(int slot);

    /// <summary>Hints the memory of <paramref name="slot"/>'s vector into the cache before it is scored.</summary>
    void Prefetch(int slot);
}
