using System.IO.Compression;
using Piramid.Contracts.Exports;
using Piramid.Engine;
using Piramid.Engine.Collections;

namespace Piramid.DataPlane.Exports;

/// <summary>
/// Streams an export after its headers. A failure half way aborts the connection, so a reader sees a truncated gzip
/// stream (and fewer lines than the count header) rather than a short file that looks complete.
/// </summary>
internal sealed class ExportStream(CollectionExport export, string encoding) : IResult
{
    // Points read per lock hold: 256 × a 1,024-dimension vector is 1 MB, and a writer waits for one batch at most.
    private const int PointsPerRead = 256;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        using var _ = export;
        var response = httpContext.Response;
        response.ContentType = "application/gzip";
        response.Headers[ExportHeaders.Count] = export.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers[ExportHeaders.Lsn] = export.Lsn.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers[ExportHeaders.VectorEncoding] = encoding;
        using var lines = new ExportLineWriter(encoding);
        try
        {
            await using var gzip = new GZipStream(response.Body, CompressionLevel.Fastest, leaveOpen: true);
            while (export.ReadBatch(PointsPerRead) is { Count: > 0 } batch)
            {
                foreach (var point in batch)
                {
                    lines.Write(point);
                }

                await gzip.WriteAsync(lines.Written, httpContext.RequestAborted);
                lines.Clear();
            }
        }
        catch (Exception e) when (e is EngineException or OperationCanceledException or IOException)
        {
            httpContext.Abort();
        }
    }
}
