using System.Text.Json;
using Piramid.Backups.Stores;
using Piramid.Contracts.Exports;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Operations;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Exports;

/// <summary>
/// Runs an <c>import</c>: from an export (checked against its manifest's SHA-256 while it is read; the collection
/// created from the manifest when missing, a different existing one refused) or from an uploaded NDJSON body,
/// streamed to the engine. The engine's import id is the operation id, so a run started again after its control
/// plane died replays the batches already applied instead of writing them twice.
/// </summary>
public sealed class ImportHandler(EngineExportClient engine, IBackupStore store) : IOperationHandler
{
    private static readonly JsonSerializerOptions Json = Piramid.Contracts.Json.WireJson.Options;

    /// <inheritdoc />
    public string Kind => OperationKinds.Import;

    /// <inheritdoc />
    public bool CanResume => true;

    /// <inheritdoc />
    public async Task RunAsync(OperationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request.Deserialize<ImportOperation>(Json)!;
        string key, sha256;
        long bytes;
        if (request.ExportId is { } exportId)
        {
            var manifest = await ExportManifests.ReadAsync(store, context.TenantId, exportId, cancellationToken);
            await EnsureCollectionAsync(context.TenantId, request.Collection, manifest.Collection, cancellationToken);
            (key, sha256, bytes) = (ExportObjects.Points(context.TenantId, exportId), manifest.Sha256, manifest.Bytes);
        }
        else
        {
            (key, sha256, bytes) = (request.Upload!, request.Sha256!, request.Bytes);
        }

        ImportResult result;
        try
        {
            await using var source = await store.OpenReadAsync(key, sha256, cancellationToken);
            await using var counted = new ProgressStream(source, read => context.Report(100.0 * read / Math.Max(1, bytes), read, 0));
            result = await engine.ImportAsync(context.TenantId, request.Collection, context.Id, counted, cancellationToken);
        }
        catch (BackupObjectCorruptedException e)
        {
            throw new ProblemException(ProblemCatalog.Conflict, $"The stored points of this import are damaged and were refused: {e.Message}");
        }

        if (request.Upload is not null)
        {
            await store.DeleteAsync(request.Upload, cancellationToken);
        }

        context.Report(100, bytes, result.Points);
        context.Result = result;
    }

    private async Task EnsureCollectionAsync(string tenantId, string name, ExportCollection settings, CancellationToken ct)
    {
        if (await engine.DescribeAsync(tenantId, name, ct) is not { } existing)
        {
            await engine.CreateAsync(tenantId, name, settings, ct);
            return;
        }

        if (existing.Dimension != settings.Dimension || existing.Metric != settings.Metric)
        {
            throw new ProblemException(ProblemCatalog.Conflict,
                $"Collection '{name}' exists with dimension {existing.Dimension} and metric '{existing.Metric}'; the export has " +
                $"dimension {settings.Dimension} and metric '{settings.Metric}'. Import into a new collection name instead.");
        }
    }

    // Reports the bytes read so far; the engine reads the store's stream through it.
    private sealed class ProgressStream(Stream inner, Action<long> progress) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            progress(_read);
            return read;
        }
    }
}
