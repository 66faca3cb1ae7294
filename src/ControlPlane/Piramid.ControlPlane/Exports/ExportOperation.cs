namespace Piramid.ControlPlane.Exports;

/// <summary>The input of an <c>export</c> operation.</summary>
/// <param name="Collection">The collection.</param>
/// <param name="ExportId">The id its objects are stored under.</param>
/// <param name="VectorEncoding">How vectors are written.</param>
public sealed record ExportOperation(string Collection, string ExportId, string VectorEncoding);

/// <summary>The input of an <c>import</c> operation: from an export, or from an uploaded NDJSON body.</summary>
/// <param name="Collection">The target collection.</param>
/// <param name="ExportId">The export to import, or null.</param>
/// <param name="Upload">The store key of the uploaded body, or null.</param>
/// <param name="Sha256">The uploaded body's SHA-256, or null.</param>
/// <param name="Bytes">The uploaded body's size, or 0.</param>
public sealed record ImportOperation(string Collection, string? ExportId, string? Upload, string? Sha256, long Bytes);
