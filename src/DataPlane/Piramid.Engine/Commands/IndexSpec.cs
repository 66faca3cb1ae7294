namespace Piramid.Engine.Commands;

/// <summary>Index settings of a collection; null members take their defaults on create.</summary>
/// <param name="Type"><c>hnsw</c> or <c>flat</c>.</param>
/// <param name="M">Graph degree.</param>
/// <param name="EfConstruction">Build-time search breadth.</param>
/// <param name="Ef">Default query-time search breadth.</param>
public sealed record IndexSpec(string? Type = null, int? M = null, int? EfConstruction = null, int? Ef = null);
