using System.Text.Json.Serialization;
using Piramid.Client.Json;

namespace Piramid.Client.Models;

/// <summary>A recommend example: a stored point's id or a vector. Converts implicitly from either.</summary>
[JsonConverter(typeof(ExampleConverter))]
public sealed class Example
{
    private Example(string? id, float[]? vector)
    {
        Id = id;
        Vector = vector;
    }

    /// <summary>The point id, when the example is a stored point.</summary>
    public string? Id { get; }

    /// <summary>The vector, when the example is a vector.</summary>
    public float[]? Vector { get; }

    /// <summary>An example by a stored point's id.</summary>
    public static Example FromId(string id) => new(id ?? throw new ArgumentNullException(nameof(id)), null);

    /// <summary>An example by vector.</summary>
    public static Example FromVector(float[] vector) => new(null, vector ?? throw new ArgumentNullException(nameof(vector)));

    /// <summary>An example by a stored point's id.</summary>
    public static implicit operator Example(string id) => FromId(id);

    /// <summary>An example by vector.</summary>
    public static implicit operator Example(float[] vector) => FromVector(vector);
}
