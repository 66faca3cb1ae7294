using System.Text.Json;

namespace Piramid.Contracts.Points;

/// <summary>Body of <c>POST /v1/collections/{name}/count</c>.</summary>
/// <example>{"filter": {"genre": {"$in": ["drama", "comedy"]}}}</example>
public sealed class CountRequest
{
    /// <summary>Only count points whose metadata match.</summary>
    public JsonElement Filter { get; set; }
}
