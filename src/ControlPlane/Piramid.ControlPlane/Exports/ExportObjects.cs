using System.Buffers;

namespace Piramid.ControlPlane.Exports;

/// <summary>Object keys of exports and uploaded imports in the backup store (docs/design/export-format.md, "Files").</summary>
public static class ExportObjects
{
    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    /// <summary>The gzip NDJSON points of an export.</summary>
    public static string Points(string tenantId, string exportId) => $"tenants/{tenantId}/exports/{exportId}/points.ndjson.gz";

    /// <summary>The manifest of an export.</summary>
    public static string Manifest(string tenantId, string exportId) => $"tenants/{tenantId}/exports/{exportId}/manifest.json";

    /// <summary>An NDJSON body uploaded for an import, kept until the import succeeded.</summary>
    public static string Upload(string tenantId, string importId) => $"tenants/{tenantId}/imports/{importId}/points.ndjson";

    /// <summary>True for an id this API makes (<c>exp_</c> + 32 lowercase hex), so a path never reaches the store unchecked.</summary>
    public static bool IsExportId(string? id) =>
        id is { Length: 36 } && id.StartsWith("exp_", StringComparison.Ordinal) && !id.AsSpan(4).ContainsAnyExcept(LowerHex);
}
