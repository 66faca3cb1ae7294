using Microsoft.AspNetCore.Http.HttpResults;
using Piramid.Contracts.Collections;
using Piramid.Contracts.Identity;
using Piramid.Engine;
using R = Piramid.Contracts.Routes.PublicRoutes;

namespace Piramid.DataPlane.Api;

/// <summary>Collections: create, list, describe, change, delete.</summary>
public static class CollectionsApi
{
    /// <summary>Maps <c>/v1/collections</c> and <c>/v1/collections/{name}</c>.</summary>
    public static IEndpointRouteBuilder MapCollectionsApi(this IEndpointRouteBuilder app)
    {
        // Method, template and role come from the route table; the group only adds the error mapping.
        var group = app.MapGroup(string.Empty).AddEndpointFilter(ApiSupport.HandleErrors);
        group.MapMethods(R.CollectionsList.Template, [R.CollectionsList.Method], List).For(R.CollectionsList);
        group.MapMethods(R.CollectionsCreate.Template, [R.CollectionsCreate.Method], Create).For(R.CollectionsCreate).WithMetadata(new MutationAttribute("collections.create"));
        group.MapMethods(R.CollectionsDescribe.Template, [R.CollectionsDescribe.Method], Describe).For(R.CollectionsDescribe);
        group.MapMethods(R.CollectionsUpdate.Template, [R.CollectionsUpdate.Method], Update).For(R.CollectionsUpdate).WithMetadata(new MutationAttribute("collections.update"));
        group.MapMethods(R.CollectionsDelete.Template, [R.CollectionsDelete.Method], Delete).For(R.CollectionsDelete).WithMetadata(new MutationAttribute("collections.delete"));
        return app;
    }

    private static JsonBody<CollectionList> List(HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, null);
        var identity = (InternalIdentity)context.Items[Security.InternalAuthMiddleware.ItemKey]!;
        var all = engine.List().Select(CollectionMapping.ToWire).ToList();
        var visible = identity.Collections.Count == 0 ? all : [.. all.Where(c => identity.Collections.Contains(c.Name))];
        return JsonBody.Ok(new CollectionList { Collections = visible });
    }

    private static async Task<IResult> Create(string name, HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, name);
        var request = await ApiSupport.ReadJsonAsync(context, EngineJsonContext.Default.CreateCollectionRequest);
        var info = CollectionMapping.ToWire(engine.Create(name, CollectionMapping.ToCommand(request), out var created));
        return created ? JsonBody.Created($"/v1/collections/{name}", info) : JsonBody.Ok(info);
    }

    private static JsonBody<CollectionInfo> Describe(string name, HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, name);
        return JsonBody.Ok(CollectionMapping.ToWire(engine.Get(name).Describe()));
    }

    private static async Task<JsonBody<CollectionInfo>> Update(string name, HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, name);
        var request = await ApiSupport.ReadJsonAsync(context, EngineJsonContext.Default.CollectionUpdateRequest);
        return JsonBody.Ok(CollectionMapping.ToWire(engine.Update(name, CollectionMapping.ToCommand(request))));
    }

    private static NoContent Delete(string name, HttpContext context, VectorEngine engine)
    {
        ApiSupport.Authorize(context, name);
        engine.Delete(name);
        return TypedResults.NoContent();
    }
}
