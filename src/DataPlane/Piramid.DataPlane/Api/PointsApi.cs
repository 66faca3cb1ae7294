using Microsoft.AspNetCore.Mvc;
using Piramid.Contracts.Identity;
using Piramid.Contracts.Points;
using Piramid.DataPlane.Hosting;
using Piramid.Engine;
using Piramid.Engine.Search;

namespace Piramid.DataPlane.Api;

/// <summary>Points and search under <c>/v1/collections/{name}</c>.</summary>
public static class PointsApi
{
    private static readonly string[] Readers = [Roles.Admin, Roles.ReadWrite, Roles.ReadOnly];
    private static readonly string[] Writers = [Roles.Admin, Roles.ReadWrite];

    /// <summary>Maps the point and search routes.</summary>
    public static IEndpointRouteBuilder MapPointsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/collections/{name}").AddEndpointFilter(ApiSupport.HandleErrors);
        group.MapPost("/points", Upsert).WithName("points.upsert").WithMetadata(new MutationAttribute("points.upsert"));
        group.MapGet("/points/{id}", GetOne).WithName("points.get");
        group.MapPost("/points/get", GetMany).WithName("points.get_many");
        group.MapPatch("/points/{id}", Update).WithName("points.update").WithMetadata(new MutationAttribute("points.update"));
        group.MapPost("/points/delete", Delete).WithName("points.delete").WithMetadata(new MutationAttribute("points.delete"));
        group.MapPost("/search", Search).WithName("points.search");
        group.MapPost("/search/batch", SearchBatch).WithName("points.search_batch");
        group.MapPost("/search/groups", SearchGroups).WithName("points.search_groups");
        group.MapPost("/recommend", Recommend).WithName("points.recommend");
        group.MapPost("/scroll", Scroll).WithName("points.scroll");
        group.MapPost("/count", Count).WithName("points.count");
        return app;
    }

    private static async Task<IResult> Upsert(string name, HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, name, Writers);
        var collection = engine.Get(name);
        var request = await ApiSupport.ReadJsonAsync(context, EngineJsonContext.Default.UpsertPointsRequest);
        var result = await collection.UpsertAsync(request, context.RequestAborted);
        EngineTelemetry.PointsWritten.Add(result.Count);
        return JsonBody.Ok(result);
    }

    private static JsonBody<PointOutput> GetOne(string name, [FromQuery(Name = "include_vector")] bool? includeVector, [FromQuery(Name = "include_metadata")] bool? includeMetadata, HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, name, Readers);
        var id = PointIdFromPath.Read(context);
        return JsonBody.Ok(engine.Get(name).Get(id, includeVector ?? false, includeMetadata ?? true));
    }

    private static async Task<IResult> GetMany(string name, HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, name, Readers);
        var collection = engine.Get(name);
        var request = await ApiSupport.ReadJsonAsync(context, EngineJsonContext.Default.GetPointsRequest);
        return JsonBody.Ok(collection.GetMany(request));
    }

    private static async Task<IResult> Update(string name, HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, name, Writers);
        var id = PointIdFromPath.Read(context);
        var collection = engine.Get(name);
        var request = await ApiSupport.ReadJsonAsync(context, EngineJsonContext.Default.UpdatePointRequest);
        return JsonBody.Ok(await collection.UpdateAsync(id, request, context.RequestAborted));
    }

    private static async Task<IResult> Delete(string name, HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, name, Writers);
        var collection = engine.Get(name);
        var request = await ApiSupport.ReadJsonAsync(context, EngineJsonContext.Default.DeletePointsRequest);
        return JsonBody.Ok(await collection.DeleteAsync(request, context.RequestAborted));
    }

    private static async Task<IResult> Search(string name, HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, name, Readers);
        var collection = engine.Get(name);
        var request = await ApiSupport.ReadJsonAsync(context, EngineJsonContext.Default.SearchRequest);
        var response = collection.Search(request);
        EngineTelemetry.Searches.Add(1);
        return JsonBody.Ok(response);
    }

    private static async Task<IResult> SearchBatch(string name, HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, name, Readers);
        var collection = engine.Get(name);
        var request = await ApiSupport.ReadJsonAsync(context, EngineJsonContext.Default.SearchBatchRequest);
        var response = SearchMethods.Batch(collection, request);
        EngineTelemetry.Searches.Add(response.Batches.Count);
        return JsonBody.Ok(response);
    }

    private static async Task<IResult> SearchGroups(string name, HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, name, Readers);
        var collection = engine.Get(name);
        var request = await ApiSupport.ReadJsonAsync(context, EngineJsonContext.Default.SearchGroupsRequest);
        var response = SearchMethods.Groups(collection, request);
        EngineTelemetry.Searches.Add(1);
        return JsonBody.Ok(response);
    }

    private static async Task<IResult> Recommend(string name, HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, name, Readers);
        var collection = engine.Get(name);
        var request = await ApiSupport.ReadJsonAsync(context, EngineJsonContext.Default.RecommendRequest);
        var response = SearchMethods.Recommend(collection, request);
        EngineTelemetry.Searches.Add(1);
        return JsonBody.Ok(response);
    }

    private static async Task<IResult> Scroll(string name, HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, name, Readers);
        var collection = engine.Get(name);
        var request = await ApiSupport.ReadJsonAsync(context, EngineJsonContext.Default.ScrollRequest, optional: true);
        return JsonBody.Ok(collection.Scroll(request));
    }

    private static async Task<IResult> Count(string name, HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, name, Readers);
        var collection = engine.Get(name);
        var request = await ApiSupport.ReadJsonAsync(context, EngineJsonContext.Default.CountRequest, optional: true);
        return JsonBody.Ok(new CountResult(collection.CountMatching(request.Filter)));
    }
}
