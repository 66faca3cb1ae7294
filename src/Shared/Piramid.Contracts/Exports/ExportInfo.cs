namespace Piramid.Contracts.Exports;

/// <summary>The result of an <c>export</c> operation: where to download it and what it holds.</summary>
public sealed class ExportInfo
{
    /// <summary>Id (<c>exp_</c> + 32 hex), for <c>GET .../exports/{export_id}</c> and for an import.</summary>
    public required string ExportId { get; set; }

    /// <summary>The exported collection.</summary>
    public required string Collection { get; set; }

    /// <summary>Points in the export.</summary>
    public long Count { get; set; }

    /// <summary>The collection's log position the export is at.</summary>
    public long Lsn { get; set; }

    /// <summary>Size of <c>points.ndjson.gz</c> in bytes.</summary>
    public long Bytes { get; set; }

    /// <summary>SHA-256 of <c>points.ndjson.gz</c>, lowercase hex.</summary>
    public required string Sha256 { get; set; }

    /// <summary><c>base64-f32le</c> or <c>json</c>.</summary>
    public required string VectorEncoding { get; set; }

    /// <summary>The path that downloads the points file (add <c>?part=manifest</c> for the manifest).</summary>
    public required string Download { get; set; }
}
