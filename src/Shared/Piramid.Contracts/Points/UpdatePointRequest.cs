using System.Text.Json;

namespace Piramid.Contracts.Points;

/// <summary>Body of <c>PATCH /v1/collections/{name}/points/{id}</c>: either or both fields.</summary>
/// <example>{"metadata": {"year": 2005, "draft": null}}</example>
public sealed class UpdatePointRequest
{
    /// <summary>A replacement vector.</summary>
    public float[]? Vector { get; set; }

    /// <summary>A JSON merge patch (RFC 7386) for the metadata: null values remove keys.</summary>
    public JsonElement Metadata { get; set; }
}
