using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Features;
using Piramid.Contracts.Exports;
using Piramid.Contracts.Problems;
using Piramid.DataPlane.Api;
using Piramid.DataPlane.Hosting;
using Piramid.Engine;
using Piramid.ServiceDefaults;

namespace Piramid.DataPlane.Exports;

/// <summary>
/// Export and import of one collection for the control plane (docs/design/export-format.md): a point-in-time gzip
/// NDJSON stream out, an NDJSON stream (plain or gzip) in through the idempotent write path.
/// </summary>
public static partial class ExportApi
{
    /// <summary>GET: streams the collection's points.</summary>
    public const string ExportTemplate = "/internal/v1/collections/{name}/export";

    /// <summary>POST: applies an NDJSON body of points.</summary>
    public const string ImportTemplate = "/internal/v1/collections/{name}/import";

    /// <summary>Maps the two endpoints.</summary>
    public static IEndpointRouteBuilder MapExportApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(string.Empty).AddEndpointFilter(ApiSupport.HandleErrors);
        group.MapGet(ExportTemplate, Export).WithName("internal.collections.export");
        group.MapPost(ImportTemplate, Import).WithName("internal.collections.import");
        return app;
    }

    private static ExportStream Export(string name, HttpContext context, VectorEngine engine)
    {
        InternalAccess.Authorize(context);
        var encoding = context.Request.Query["vector_encoding"].ToString();
        encoding = string.IsNullOrEmpty(encoding) ? VectorEncodings.Base64F32Le : encoding;
        if (!VectorEncodings.IsKnown(encoding))
        {
            throw EngineException.Invalid($"'vector_encoding' must be '{VectorEncodings.Base64F32Le}' or '{VectorEncodings.Json}'; got '{encoding}'.");
        }

        var export = engine.Get(name).OpenExport();
        return new ExportStream(export, encoding);
    }

    private static async Task<IResult> Import(string name, HttpContext context, VectorEngine engine)
    {
        var identity = InternalAccess.Authorize(context);
        var importId = context.Request.Query["import_id"].ToString();
        if (!ImportIdPattern().IsMatch(importId))
        {
            throw EngineException.Invalid("'import_id' is required: 1 to 64 characters of letters, digits, '-' and '_'.");
        }

        var collection = engine.Get(name);

        // An import is as long as the collection it fills: the body is streamed in batches, never held whole.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        var importer = new CollectionImporter(collection, importId, $"POST {context.Request.Path}");
        var outcome = "ok";
        (long Lsn, long Points)? written = null;
        try
        {
            var result = await importer.RunAsync(context.Request.Body, context.RequestAborted);
            written = (result.Lsn, result.Points);
            EngineTelemetry.PointsWritten.Add(result.Points - result.ReplayedPoints);
            return JsonBody.Ok(result);
        }
        catch (ImportFailedException e)
        {
            var kind = EngineProblems.KindOf(e.Kind);
            outcome = $"error:{kind.Status}";
            return ProblemResults.For(kind, ServerPaths.Redact(e.Message), new Dictionary<string, object?>
            {
                ["line"] = e.Line,
                ["applied_points"] = e.AppliedPoints,
                ["applied_batches"] = e.AppliedBatches,
            });
        }
        finally
        {
            engine.Audit.Append(identity.Principal, "collections.import", name, outcome, context.TraceIdentifier, written?.Lsn, written?.Points);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ImportIdPattern();
}
