using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Piramid.Backups.Stores;
using Piramid.Contracts.Exports;
using Piramid.Contracts.Operations;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Access;
using Piramid.ControlPlane.Operations;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Exports;

/// <summary>
/// A collection's portable export and import (docs/design/export-format.md): <c>POST .../export</c> and
/// <c>POST .../import</c> answer 202 with an operation; <c>GET .../exports/{export_id}</c> downloads. Export needs a
/// reader of the tenant, import a writer (docs/design/tenant-access.md).
/// </summary>
public static class ExportsApi
{
    private const string Collection = "/v1/tenants/{id}/collections/{name}";

    private static readonly JsonSerializerOptions Json = Piramid.Contracts.Json.WireJson.Options;

    /// <summary>Maps the three routes.</summary>
    public static IEndpointRouteBuilder MapExportsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(Collection + "/export", Export).RequireAuthorization(TenantPolicies.Member);
        app.MapGet(Collection + "/exports/{export_id}", Download).RequireAuthorization(TenantPolicies.Member);
        app.MapPost(Collection + "/import", Import).RequireAuthorization(TenantPolicies.Writer);
        return app;
    }

    private static async Task<Accepted<OperationInfo>> Export(
        HttpContext http, string id, string name, EngineExportClient engine, OperationQueue operations, CancellationToken ct)
    {
        var request = http.Request.ContentLength is null or 0 && http.Request.Headers.TransferEncoding.Count == 0
            ? new ExportRequest()
            : await ReadJsonAsync<ExportRequest>(http, ct);
        var encoding = request.VectorEncoding ?? VectorEncodings.Base64F32Le;
        if (!VectorEncodings.IsKnown(encoding))
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest,
                $"'vector_encoding' must be '{VectorEncodings.Base64F32Le}' or '{VectorEncodings.Json}'; got '{encoding}'.");
        }

        await OperationQueue.RequireTenantAsync(http.RequestServices.GetRequiredService<Data.ControlPlaneDbContext>(), id, ct);
        _ = await engine.DescribeAsync(id, name, ct) ?? throw CollectionNotFound(name);
        var operation = new ExportOperation(name, OperationQueue.NewId("exp_"), encoding);
        return OperationsApi.Accepted(await operations.EnqueueAsync(id, OperationKinds.Export, operation, ct));
    }

#pragma warning disable IDE1006 // route parameter names are the wire's snake_case
    private static async Task<IResult> Download(
        HttpContext http, string id, string name, string export_id, string? part, IBackupStore store, CancellationToken ct)
    {
        var manifest = await ExportManifests.ReadAsync(store, id, export_id, ct);
        if (manifest.Collection.Name != name)
        {
            throw ExportManifests.NotFound(export_id);
        }

        switch (part)
        {
            case null or "points":
                var points = await store.OpenReadAsync(ExportObjects.Points(id, export_id), manifest.Sha256, ct);
                http.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}-{export_id}.ndjson.gz\"";
                return TypedResults.Stream(points, "application/gzip");
            case "manifest":
                return TypedResults.Json(manifest, Json);
            default:
                throw new ProblemException(ProblemCatalog.InvalidRequest, $"'part' must be 'points' (the default) or 'manifest'; got '{part}'.");
        }
    }
#pragma warning restore IDE1006

    private static async Task<Accepted<OperationInfo>> Import(
        HttpContext http, string id, string name, EngineExportClient engine, IBackupStore store, OperationQueue operations, CancellationToken ct)
    {
        await OperationQueue.RequireTenantAsync(http.RequestServices.GetRequiredService<Data.ControlPlaneDbContext>(), id, ct);
        var type = http.Request.ContentType ?? string.Empty;
        if (type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            var request = await ReadJsonAsync<ImportRequest>(http, ct);
            if (request.ExportId is not { } exportId)
            {
                throw new ProblemException(ProblemCatalog.InvalidRequest, "'export_id' is required (or send the points as application/x-ndjson).");
            }

            _ = await ExportManifests.ReadAsync(store, id, exportId, ct);
            var fromExport = new ImportOperation(name, exportId, null, null, 0);
            return OperationsApi.Accepted(await operations.EnqueueAsync(id, OperationKinds.Import, fromExport, ct));
        }

        if (!type.StartsWith("application/x-ndjson", StringComparison.OrdinalIgnoreCase))
        {
            throw new ProblemException(ProblemCatalog.UnsupportedMediaType,
                "Send {\"export_id\"} as application/json, or the points as application/x-ndjson (gzip with Content-Encoding: gzip).");
        }

        // A bare NDJSON body has no manifest to create the collection from: it must exist.
        _ = await engine.DescribeAsync(id, name, ct) ?? throw CollectionNotFound(name);
        var importId = OperationQueue.NewId("imp_");
        await using var spool = await SpooledFile.CopyAsync(http.Request.Body, null, ct);
        if (spool.Length == 0)
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, "The body holds no points; send one JSON object per line.");
        }

        var key = ExportObjects.Upload(id, importId);
        await using (var content = spool.OpenRead())
        {
            await store.PutAsync(key, content, spool.Length, spool.Sha256, null, ct);
        }

        var upload = new ImportOperation(name, null, key, spool.Sha256, spool.Length);
        return OperationsApi.Accepted(await operations.EnqueueAsync(id, OperationKinds.Import, upload, ct));
    }

    private static async Task<T> ReadJsonAsync<T>(HttpContext http, CancellationToken ct)
        where T : new()
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(http.Request.Body, Json, ct) ?? new T();
        }
        catch (JsonException e)
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, $"The body is not the JSON this route takes ({e.Path ?? "$"}): check the field names and types.");
        }
    }

    private static ProblemException CollectionNotFound(string name) =>
        new(ProblemCatalog.NotFound, $"Collection '{name}' does not exist.");
}
