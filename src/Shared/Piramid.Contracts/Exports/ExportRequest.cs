namespace Piramid.Contracts.Exports;

/// <summary>Body of <c>POST /v1/tenants/{id}/collections/{name}/export</c> (optional).</summary>
/// <example>{"vector_encoding": "base64-f32le"}</example>
public sealed class ExportRequest
{
    /// <summary><c>base64-f32le</c> (default: exact and compact) or <c>json</c> (numbers).</summary>
    public string? VectorEncoding { get; set; }
}
