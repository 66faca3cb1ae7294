namespace Piramid.Contracts.Exports;

/// <summary>Headers of the engine's export stream (<c>GET /internal/v1/collections/{name}/export</c>).</summary>
public static class ExportHeaders
{
    /// <summary>Points in the export (the view's count, known before the first byte).</summary>
    public const string Count = "Piramid-Export-Count";

    /// <summary>The collection's log position the export is at.</summary>
    public const string Lsn = "Piramid-Export-Lsn";

    /// <summary>The vector encoding of the lines.</summary>
    public const string VectorEncoding = "Piramid-Export-Vector-Encoding";
}
