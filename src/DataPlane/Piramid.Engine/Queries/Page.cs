namespace Piramid.Engine.Queries;

/// <summary>Items of one page, and the cursor of the next page (null at the end).</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items.</param>
/// <param name="NextCursor">Where the next page starts, or null.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
