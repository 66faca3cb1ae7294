namespace Piramid.Contracts.Exports;

/// <summary>
/// JSON body of <c>POST /v1/tenants/{id}/collections/{name}/import</c> that imports an earlier export; send the points
/// themselves instead with <c>Content-Type: application/x-ndjson</c> (plain, or gzip with <c>Content-Encoding: gzip</c>).
/// </summary>
/// <example>{"export_id": "exp_9c1f0e2d3b4a59687f6e5d4c3b2a1908"}</example>
public sealed class ImportRequest
{
    /// <summary>The export to import (of this tenant); the collection is created from its manifest when it does not exist.</summary>
    public string? ExportId { get; set; }
}
