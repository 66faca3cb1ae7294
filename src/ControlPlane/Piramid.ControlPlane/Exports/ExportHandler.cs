using System.Globalization;
using System.Text.Json;
using Piramid.Backups.Stores;
using Piramid.Contracts.Exports;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Operations;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Exports;

/// <summary>
/// Runs an <c>export</c>: streams the engine's point-in-time export to a spool file (hashing it), puts it in the backup
/// store, then writes the manifest last, so an export whose manifest exists is whole. Progress: bytes received and,
/// at the end, points. A run cut off is started again from the beginning (a new consistent view).
/// </summary>
public sealed class ExportHandler(EngineExportClient engine, IBackupStore store, TimeProvider time) : IOperationHandler
{
    private static readonly JsonSerializerOptions Json = Piramid.Contracts.Json.WireJson.Options;

    /// <inheritdoc />
    public string Kind => OperationKinds.Export;

    /// <inheritdoc />
    public bool CanResume => true;

    /// <inheritdoc />
    public async Task RunAsync(OperationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request.Deserialize<ExportOperation>(Json)!;
        var collection = await engine.DescribeAsync(context.TenantId, request.Collection, cancellationToken)
            ?? throw new ProblemException(ProblemCatalog.NotFound, $"Collection '{request.Collection}' does not exist.");
        var createdAt = time.GetUtcNow();
        using var response = await engine.ExportAsync(context.TenantId, request.Collection, request.VectorEncoding, cancellationToken);
        var count = long.Parse(response.Headers.GetValues(ExportHeaders.Count).Single(), CultureInfo.InvariantCulture);
        var lsn = long.Parse(response.Headers.GetValues(ExportHeaders.Lsn).Single(), CultureInfo.InvariantCulture);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await using var spool = await SpooledFile.CopyAsync(body, bytes => context.Report(45, bytes, 0), cancellationToken);

        await using (var points = spool.OpenRead())
        {
            await store.PutAsync(ExportObjects.Points(context.TenantId, request.ExportId), points, spool.Length, spool.Sha256,
                new Progress<long>(put => context.Report(50 + (50.0 * put / Math.Max(1, spool.Length)), spool.Length, count)), cancellationToken);
        }

        var manifest = new ExportManifest
        {
            Collection = new ExportCollection
            {
                Name = collection.Name,
                Dimension = collection.Dimension,
                Metric = collection.Metric,
                Index = collection.Index,
                Quantization = collection.Quantization,
                Schema = collection.Schema,
            },
            Count = count,
            Lsn = lsn,
            CreatedAt = createdAt,
            VectorEncoding = request.VectorEncoding,
            Bytes = spool.Length,
            Sha256 = spool.Sha256,
        };
        var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, Json);
        using (var content = new MemoryStream(manifestBytes))
        {
            await store.PutAsync(ExportObjects.Manifest(context.TenantId, request.ExportId), content, manifestBytes.Length,
                Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(manifestBytes)), null, cancellationToken);
        }

        context.Report(100, spool.Length, count);
        context.Result = new ExportInfo
        {
            ExportId = request.ExportId,
            Collection = request.Collection,
            Count = count,
            Lsn = lsn,
            Bytes = spool.Length,
            Sha256 = spool.Sha256,
            VectorEncoding = request.VectorEncoding,
            Download = $"/v1/tenants/{context.TenantId}/collections/{request.Collection}/exports/{request.ExportId}",
        };
    }
}
