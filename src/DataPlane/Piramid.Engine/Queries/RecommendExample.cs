namespace Piramid.Engine.Queries;

/// <summary>One example of a recommendation: a stored point, or a vector.</summary>
public sealed record RecommendExample
{
    private RecommendExample(string? pointId, float[]? vector)
    {
        PointId = pointId;
        Vector = vector;
    }

    /// <summary>The stored point, or null for a vector example.</summary>
    public string? PointId { get; }

    /// <summary>The vector, or null for a point example.</summary>
    public float[]? Vector { get; }

    /// <summary>An example given by a stored point's id.</summary>
    public static RecommendExample OfPoint(string id) => new(id, null);

    /// <summary>An example given by a vector.</summary>
    public static RecommendExample OfVector(float[] vector) => new(null, vector);
}
