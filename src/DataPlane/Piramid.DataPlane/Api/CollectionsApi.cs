using Microsoft.AspNetCore.Http.HttpResults;
using Piramid.Contracts.Collections;
using Piramid.Contracts.Identity;
using Piramid.Engine;

namespace Piramid.DataPlane.Api;

/// <summary>Collections: create, list, describe, delete.</summary>
public static class CollectionsApi
{
    /// <summary>Maps <c>/v1/collections</c>.</summary>
    public static IEndpointRouteBuilder MapCollectionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/collections").AddEndpointFilter(ApiSupport.HandleErrors);
        group.MapGet("/", List).WithName("collections.list");
        group.MapPut("/{name}", Create).WithName("collections.create").WithMetadata(new MutationAttribute("collections.create"));
        group.MapGet("/{name}", Describe).WithName("collections.describe");
        group.MapDelete("/{name}", Delete).WithName("collections.delete").WithMetadata(new MutationAttribute("collections.delete"));
        return app;
    }

    private static JsonBody<CollectionList> List(HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, null, Roles.Admin, Roles.ReadWrite, Roles.ReadOnly);
        var identity = (InternalIdentity)context.Items[Security.InternalAuthMiddleware.ItemKey]!;
        var all = engine.List();
        var visible = identity.Collections.Count == 0 ? all : [.. all.Where(c => identity.Collections.Contains(c.Name))];
        return JsonBody.Ok(new CollectionList { Collections = visible });
    }

    private static async Task<IResult> Create(string name, HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, name, Roles.Admin);
        var request = await ApiSupport.ReadJsonAsync(context, EngineJsonContext.Default.CreateCollectionRequest);
        var info = engine.Create(name, request, out var created);
        return created ? JsonBody.Created($"/v1/collections/{name}", info) : JsonBody.Ok(info);
    }

    private static JsonBody<CollectionInfo> Describe(string name, HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, name, Roles.Admin, Roles.ReadWrite, Roles.ReadOnly);
        return JsonBody.Ok(engine.Get(name).Describe());
    }

    private static NoContent Delete(string name, HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, name, Roles.Admin);
        engine.Delete(name);
        return TypedResults.NoContent();
    }
}
