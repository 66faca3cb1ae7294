using Microsoft.AspNetCore.Http.HttpResults;
using Piramid.Contracts.Admin;
using Piramid.ControlPlane.Access;
using Piramid.ControlPlane.Identity;
using Piramid.ControlPlane.Tenants;

namespace Piramid.ControlPlane.Admin;

/// <summary>The operators' tenant API: create, list, get, update, delete, suspend, resume; a tenant may read itself.</summary>
public static class TenantsApi
{
    /// <summary>Maps <c>/v1/tenants</c>.</summary>
    public static IEndpointRouteBuilder MapTenantsApi(this IEndpointRouteBuilder app)
    {
        // Reading one tenant is open to the tenant itself; changing its plan, status or existence stays the operators'.
        var group = app.MapGroup("/v1/tenants");
        group.MapPost("/", Create).AddEndpointFilter(IdempotencyFilter.Handle).RequireAuthorization(IdentityPolicies.PlatformAdmin);
        group.MapGet("/", List).RequireAuthorization(IdentityPolicies.PlatformAdmin);
        group.MapGet("/{id}", Get).RequireAuthorization(TenantPolicies.Member);
        group.MapPatch("/{id}", Update).AddEndpointFilter(IdempotencyFilter.Handle).RequireAuthorization(IdentityPolicies.PlatformAdmin);
        group.MapDelete("/{id}", Delete).AddEndpointFilter(IdempotencyFilter.Handle).RequireAuthorization(IdentityPolicies.PlatformAdmin);
        group.MapPost("/{id}/suspend", Suspend).AddEndpointFilter(IdempotencyFilter.Handle).RequireAuthorization(IdentityPolicies.PlatformAdmin);
        group.MapPost("/{id}/resume", Resume).AddEndpointFilter(IdempotencyFilter.Handle).RequireAuthorization(IdentityPolicies.PlatformAdmin);
        return app;
    }

    private static async Task<Created<TenantInfo>> Create(TenantCreateRequest request, TenantService tenants, CancellationToken ct)
    {
        var info = await tenants.CreateAsync(request, ct);
        return TypedResults.Created($"/v1/tenants/{info.Id}", info);
    }

    private static async Task<Ok<TenantList>> List(TenantService tenants, CancellationToken ct) =>
        TypedResults.Ok(new TenantList { Tenants = await tenants.ListAsync(ct) });

    private static async Task<Ok<TenantInfo>> Get(string id, TenantService tenants, CancellationToken ct) =>
        TypedResults.Ok(await tenants.GetAsync(id, ct));

    private static async Task<Ok<TenantInfo>> Update(string id, TenantUpdateRequest request, TenantService tenants, CancellationToken ct) =>
        TypedResults.Ok(await tenants.UpdateAsync(id, request, ct));

    private static async Task<Ok<TenantInfo>> Delete(string id, TenantService tenants, CancellationToken ct) =>
        TypedResults.Ok(await tenants.DeleteAsync(id, ct));

    private static async Task<Ok<TenantInfo>> Suspend(string id, TenantService tenants, CancellationToken ct) =>
        TypedResults.Ok(await tenants.SuspendAsync(id, ct));

    private static async Task<Ok<TenantInfo>> Resume(string id, TenantService tenants, CancellationToken ct) =>
        TypedResults.Ok(await tenants.ResumeAsync(id, ct));
}
