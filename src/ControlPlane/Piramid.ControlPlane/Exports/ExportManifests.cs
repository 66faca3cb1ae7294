using System.Text.Json;
using Piramid.Backups.Stores;
using Piramid.Contracts.Exports;
using Piramid.Contracts.Problems;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Exports;

/// <summary>Reads an export's manifest from the store, verified against the hash stored with it.</summary>
public static class ExportManifests
{
    private static readonly JsonSerializerOptions Json = Piramid.Contracts.Json.WireJson.Options;

    /// <summary>The manifest of <paramref name="exportId"/>; 404 naming it when there is none (or it is another tenant's).</summary>
    public static async Task<ExportManifest> ReadAsync(IBackupStore store, string tenantId, string exportId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var key = ExportObjects.Manifest(tenantId, exportId);
        if (!ExportObjects.IsExportId(exportId) || await store.StatAsync(key, ct) is not { Sha256Hex: { } sha256 })
        {
            throw NotFound(exportId);
        }

        await using var stream = await store.OpenReadAsync(key, sha256, ct);
        var manifest = await JsonSerializer.DeserializeAsync<ExportManifest>(stream, Json, ct);
        if (manifest is null || manifest.Format != ExportManifest.FormatName || manifest.Version != ExportManifest.CurrentVersion)
        {
            throw new ProblemException(ProblemCatalog.Conflict, $"Export '{exportId}' has a manifest this version cannot read (format {manifest?.Format}, version {manifest?.Version}).");
        }

        return manifest;
    }

    /// <summary>The 404 of an export that does not exist.</summary>
    public static ProblemException NotFound(string exportId) =>
        new(ProblemCatalog.NotFound, $"Export '{exportId}' does not exist (or is not finished yet).");
}
