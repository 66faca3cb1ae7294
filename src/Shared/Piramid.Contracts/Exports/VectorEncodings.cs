namespace Piramid.Contracts.Exports;

/// <summary>How an export writes vectors (docs/design/export-format.md); an import reads either, line by line.</summary>
public static class VectorEncodings
{
    /// <summary>Base64 (RFC 4648, padded) of the vector's float32 values, little-endian: the default, exact and compact.</summary>
    public const string Base64F32Le = "base64-f32le";

    /// <summary>A JSON array of numbers, each the shortest text that reads back as the same float32.</summary>
    public const string Json = "json";

    /// <summary>True for a name this version writes and reads.</summary>
    public static bool IsKnown(string? encoding) => encoding is Base64F32Le or Json;
}
