namespace Piramid.Engine.Collections;

/// <summary>A validated point ready to be logged and applied: id, vector and canonical metadata bytes.</summary>
/// <param name="Id">Point id (1-64 bytes of UTF-8).</param>
/// <param name="Vector">Finite values of the collection's dimension.</param>
/// <param name="Metadata">Canonical UTF-8 JSON object, or null when the point has none.</param>
public sealed record PreparedPoint(string Id, float[] Vector, byte[]? Metadata);
