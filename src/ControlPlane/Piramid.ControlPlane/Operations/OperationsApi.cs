using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Piramid.Contracts.Operations;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Access;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Operations;

/// <summary>
/// <c>GET /v1/tenants/{id}/operations/{op_id}</c> for anyone acting for the tenant, and <c>GET /v1/operations/{op_id}</c>
/// where the operation names the tenant (a member token; the gateway rewrites a key's call to the long form).
/// </summary>
public static class OperationsApi
{
    /// <summary>Policy of the short form: any valid token; the tenant check follows once the operation is found.</summary>
    public const string ShortFormPolicy = "operations-short-form";

    /// <summary>Maps both routes.</summary>
    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/tenants/{id}/operations/{op_id}", Get).RequireAuthorization(TenantPolicies.Member);
        app.MapGet("/v1/operations/{op_id}", GetShort).RequireAuthorization(ShortFormPolicy);
        return app;
    }

    /// <summary>The 202 answer of a request that created <paramref name="operation"/>: its Location is the operation.</summary>
    public static Accepted<OperationInfo> Accepted(OperationInfo operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return TypedResults.Accepted($"/v1/tenants/{operation.TenantId}/operations/{operation.Id}", operation);
    }

#pragma warning disable IDE1006 // route parameter names are the wire's snake_case
    private static async Task<Ok<OperationInfo>> Get(string id, string op_id, OperationQueue operations, CancellationToken ct) =>
        TypedResults.Ok(await operations.GetAsync(id, op_id, ct));

    private static async Task<Ok<OperationInfo>> GetShort(
        HttpContext http, string op_id, OperationQueue operations, IAuthorizationService authorization, CancellationToken ct)
    {
        var tenant = await operations.TenantOfAsync(op_id, ct) ?? throw OperationQueue.NotFound(op_id);
        await TenantResources.AuthorizeAsync(http, authorization, tenant, TenantPolicies.MemberRequirement, OperationQueue.NotFound(op_id));
        return TypedResults.Ok(await operations.GetAsync(tenant, op_id, ct));
    }
#pragma warning restore IDE1006
}
