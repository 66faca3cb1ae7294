namespace Piramid.Contracts.Exports;

/// <summary>The <c>manifest.json</c> of an export: what the points file holds and how to check it (docs/design/export-format.md).</summary>
public sealed class ExportManifest
{
    /// <summary>The format's name, always <c>piramid-export</c>.</summary>
    public const string FormatName = "piramid-export";

    /// <summary>The format version this code writes.</summary>
    public const int CurrentVersion = 1;

    /// <summary><see cref="FormatName"/>.</summary>
    public string Format { get; set; } = FormatName;

    /// <summary>Format version; a reader refuses versions it does not know.</summary>
    public int Version { get; set; } = CurrentVersion;

    /// <summary>The exported collection's settings: enough to create it again.</summary>
    public required ExportCollection Collection { get; set; }

    /// <summary>Points in the points file.</summary>
    public long Count { get; set; }

    /// <summary>The collection's log position the export is at: every write up to it is in, none after.</summary>
    public long Lsn { get; set; }

    /// <summary>When the export was taken.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary><c>base64-f32le</c> or <c>json</c> (<see cref="VectorEncodings"/>).</summary>
    public required string VectorEncoding { get; set; }

    /// <summary>Size of <c>points.ndjson.gz</c> in bytes.</summary>
    public long Bytes { get; set; }

    /// <summary>SHA-256 of <c>points.ndjson.gz</c>, lowercase hex.</summary>
    public required string Sha256 { get; set; }
}
