using Microsoft.AspNetCore.Mvc;
using Piramid.Contracts.Points;
using Piramid.DataPlane.Hosting;
using Piramid.Engine;
using Piramid.Engine.Search;
using R = Piramid.Contracts.Routes.PublicRoutes;

namespace Piramid.DataPlane.Api;

/// <summary>Points and search under <c>/v1/collections/{name}</c>.</summary>
public static class PointsApi
{
    /// <summary>Maps the point and search routes.</summary>
    public static IEndpointRouteBuilder MapPointsApi(this IEndpointRouteBuilder app)
    {
        // Method, template and role come from the route table; the group only adds the error mapping.
        var group = app.MapGroup(string.Empty).AddEndpointFilter(ApiSupport.HandleErrors);
        group.MapMethods(R.PointsUpsert.Template, [R.PointsUpsert.Method], Upsert).For(R.PointsUpsert).WithMetadata(new MutationAttribute("points.upsert"));
        group.MapMethods(R.PointsGet.Template, [R.PointsGet.Method], GetOne).For(R.PointsGet);
        group.MapMethods(R.PointsGetMany.Template, [R.PointsGetMany.Method], GetMany).For(R.PointsGetMany);
        group.MapMethods(R.PointsUpdate.Template, [R.PointsUpdate.Method], Update).For(R.PointsUpdate).WithMetadata(new MutationAttribute("points.update"));
        group.MapMethods(R.PointsDelete.Template, [R.PointsDelete.Method], Delete).For(R.PointsDelete).WithMetadata(new MutationAttribute("points.delete"));
        group.MapMethods(R.Search.Template, [R.Search.Method], Search).For(R.Search);
        group.MapMethods(R.SearchBatch.Template, [R.SearchBatch.Method], SearchBatch).For(R.SearchBatch);
        group.MapMethods(R.SearchGroups.Template, [R.SearchGroups.Method], SearchGroups).For(R.SearchGroups);
        group.MapMethods(R.Recommend.Template, [R.Recommend.Method], Recommend).For(R.Recommend);
        group.MapMethods(R.Scroll.Template, [R.Scroll.Method], Scroll).For(R.Scroll);
        group.MapMethods(R.Count.Template, [R.Count.Method], Count).For(R.Count);
        return app;
    }

    private static async Task<IResult> Upsert(string name, HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, name);
        var key = IdempotencyHeader.ReadKey(context);
        var collection = engine.Get(name);
        var (request, body) = await ApiSupport.ReadJsonAndBodyAsync(context, EngineJsonContext.Default.UpsertPointsRequest);
        var command = PointWriteMapping.ToCommand(request, IdempotencyHeader.For(context, key, body.Span));
        var result = await collection.UpsertAsync(command, context.RequestAborted);
        EngineTelemetry.PointsWritten.Add(result.Count);
        AuditedWrite.Record(context, result.Lsn, result.Count);
        return JsonBody.Ok(PointWriteMapping.ToWire(result));
    }

    private static JsonBody<PointOutput> GetOne(string name, [FromQuery(Name = "include_vector")] bool? includeVector, [FromQuery(Name = "include_metadata")] bool? includeMetadata, HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, name);
        var id = PointIdFromPath.Read(context);
        return JsonBody.Ok(engine.Get(name).Get(id, includeVector ?? false, includeMetadata ?? true).ToOutput());
    }

    private static async Task<IResult> GetMany(string name, HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, name);
        var collection = engine.Get(name);
        var request = await ApiSupport.ReadJsonAsync(context, EngineJsonContext.Default.GetPointsRequest);
        return JsonBody.Ok(collection.GetMany(request.Ids, request.IncludeVector ?? false, request.IncludeMetadata ?? true).ToPage());
    }

    private static async Task<IResult> Update(string name, HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, name);
        var key = IdempotencyHeader.ReadKey(context);
        var id = PointIdFromPath.Read(context);
        var collection = engine.Get(name);
        var (request, body) = await ApiSupport.ReadJsonAndBodyAsync(context, EngineJsonContext.Default.UpdatePointRequest);
        var command = PointWriteMapping.ToCommand(id, request, IdempotencyHeader.For(context, key, body.Span));
        var result = await collection.UpdateAsync(command, context.RequestAborted);
        AuditedWrite.Record(context, result.Lsn, result.Count);
        return JsonBody.Ok(PointWriteMapping.ToWire(result));
    }

    private static async Task<IResult> Delete(string name, HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, name);
        var key = IdempotencyHeader.ReadKey(context);
        var collection = engine.Get(name);
        var (request, body) = await ApiSupport.ReadJsonAndBodyAsync(context, EngineJsonContext.Default.DeletePointsRequest);
        var command = PointWriteMapping.ToCommand(request, IdempotencyHeader.For(context, key, body.Span));
        var result = await collection.DeleteAsync(command, context.RequestAborted);
        AuditedWrite.Record(context, result.Lsn, result.Count);
        return JsonBody.Ok(PointWriteMapping.ToWire(result));
    }

    private static async Task<IResult> Search(string name, HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, name);
        var collection = engine.Get(name);
        var request = await ApiSupport.ReadJsonAsync(context, EngineJsonContext.Default.SearchRequest);
        var response = collection.Search(request.ToQuery()).ToResponse();
        EngineTelemetry.Searches.Add(1);
        return JsonBody.Ok(response);
    }

    private static async Task<IResult> SearchBatch(string name, HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, name);
        var collection = engine.Get(name);
        var request = await ApiSupport.ReadJsonAsync(context, EngineJsonContext.Default.SearchBatchRequest);
        var response = SearchMethods.Batch(collection, request.ToQueries()).ToResponse();
        EngineTelemetry.Searches.Add(response.Batches.Count);
        return JsonBody.Ok(response);
    }

    private static async Task<IResult> SearchGroups(string name, HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, name);
        var collection = engine.Get(name);
        var request = await ApiSupport.ReadJsonAsync(context, EngineJsonContext.Default.SearchGroupsRequest);
        var response = SearchMethods.Groups(collection, request.ToQuery()).ToResponse();
        EngineTelemetry.Searches.Add(1);
        return JsonBody.Ok(response);
    }

    private static async Task<IResult> Recommend(string name, HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, name);
        var collection = engine.Get(name);
        var request = await ApiSupport.ReadJsonAsync(context, EngineJsonContext.Default.RecommendRequest);
        var response = SearchMethods.Recommend(collection, request.ToQuery()).ToResponse();
        EngineTelemetry.Searches.Add(1);
        return JsonBody.Ok(response);
    }

    private static async Task<IResult> Scroll(string name, HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, name);
        var collection = engine.Get(name);
        var request = await ApiSupport.ReadJsonAsync(context, EngineJsonContext.Default.ScrollRequest, optional: true);
        return JsonBody.Ok(collection.Scroll(request.ToQuery()).ToPage());
    }

    private static async Task<IResult> Count(string name, HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, name);
        var collection = engine.Get(name);
        var request = await ApiSupport.ReadJsonAsync(context, EngineJsonContext.Default.CountRequest, optional: true);
        return JsonBody.Ok(new CountResult(collection.CountMatching(request.Filter)));
    }
}
