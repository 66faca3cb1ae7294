namespace Piramid.Engine.Collections;

/// <summary>How <see cref="SearchPlanner"/> decided to answer one search.</summary>
internal enum SearchPlan
{
    /// <summary>Walk the graph, applying the filter during the walk.</summary>
    Graph,

    /// <summary>Score exactly the points a metadata index lists as possible matches.</summary>
    IndexedMatches,

    /// <summary>Score every live point exactly.</summary>
    FullScan,
}
