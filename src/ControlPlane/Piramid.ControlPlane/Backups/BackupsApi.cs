using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Piramid.Contracts.Backups;
using Piramid.Contracts.Operations;
using Piramid.ControlPlane.Access;
using Piramid.ControlPlane.Admin;
using Piramid.ControlPlane.Operations;

namespace Piramid.ControlPlane.Backups;

/// <summary>
/// Backups and restore: <c>/v1/tenants/{id}/backups</c>, <c>.../backups/{backup_id}</c>, <c>/v1/tenants/{id}/restore</c>,
/// and the short forms <c>/v1/backups</c> and <c>/v1/backups/{backup_id}</c> for a tenant's key (the gateway rewrites them
/// to the long form) or a member token (the tenant is the token's only membership, or the backup's own).
/// </summary>
public static class BackupsApi
{
    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapBackupsApi(this IEndpointRouteBuilder app)
    {
        var tenant = app.MapGroup("/v1/tenants/{id}");
        tenant.MapPost("/backups", Create).AddEndpointFilter(IdempotencyFilter.Handle).RequireAuthorization(TenantPolicies.Admin);
        tenant.MapGet("/backups", List).RequireAuthorization(TenantPolicies.Member);
        tenant.MapGet("/backups/{backup_id}", Get).RequireAuthorization(TenantPolicies.Member);
        tenant.MapDelete("/backups/{backup_id}", Delete).AddEndpointFilter(IdempotencyFilter.Handle).RequireAuthorization(TenantPolicies.Admin);
        tenant.MapPost("/restore", Restore).AddEndpointFilter(IdempotencyFilter.Handle).RequireAuthorization(TenantPolicies.Admin);

        app.MapPost("/v1/backups", CreateShort).AddEndpointFilter(IdempotencyFilter.Handle).RequireAuthorization(OperationsApi.ShortFormPolicy);
        app.MapGet("/v1/backups", ListShort).RequireAuthorization(OperationsApi.ShortFormPolicy);
        app.MapGet("/v1/backups/{backup_id}", GetShort).RequireAuthorization(OperationsApi.ShortFormPolicy);
        app.MapDelete("/v1/backups/{backup_id}", DeleteShort).AddEndpointFilter(IdempotencyFilter.Handle).RequireAuthorization(OperationsApi.ShortFormPolicy);
        return app;
    }

#pragma warning disable IDE1006 // route parameter names are the wire's snake_case
    private static async Task<Accepted<OperationInfo>> Create(string id, BackupCreateRequest? request, BackupService backups, CancellationToken ct) =>
        OperationsApi.Accepted(await backups.CreateAsync(id, request, scheduled: false, ct));

    private static async Task<Ok<BackupList>> List(string id, BackupService backups, CancellationToken ct) =>
        TypedResults.Ok(await backups.ListAsync(id, ct));

    private static async Task<Ok<BackupInfo>> Get(string id, string backup_id, BackupService backups, CancellationToken ct) =>
        TypedResults.Ok(await backups.GetAsync(id, backup_id, ct));

    private static async Task<NoContent> Delete(string id, string backup_id, BackupService backups, CancellationToken ct)
    {
        await backups.DeleteAsync(id, backup_id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Accepted<OperationInfo>> Restore(string id, RestoreRequest request, RestoreService restores, CancellationToken ct) =>
        OperationsApi.Accepted(await restores.CreateAsync(id, request, ct));

    private static async Task<Accepted<OperationInfo>> CreateShort(
        HttpContext http, BackupCreateRequest? request, BackupService backups, MemberTenants members, IAuthorizationService authorization, CancellationToken ct)
    {
        var tenant = await members.OnlyTenantAsync(http.User, "/v1/tenants/{id}/backups", ct);
        await TenantResources.AuthorizeAsync(http, authorization, tenant, TenantPolicies.AdminRequirement, BackupService.NotFound("-"));
        return OperationsApi.Accepted(await backups.CreateAsync(tenant, request, scheduled: false, ct));
    }

    private static async Task<Ok<BackupList>> ListShort(
        HttpContext http, BackupService backups, MemberTenants members, IAuthorizationService authorization, CancellationToken ct)
    {
        var tenant = await members.OnlyTenantAsync(http.User, "/v1/tenants/{id}/backups", ct);
        await TenantResources.AuthorizeAsync(http, authorization, tenant, TenantPolicies.MemberRequirement, BackupService.NotFound("-"));
        return TypedResults.Ok(await backups.ListAsync(tenant, ct));
    }

    private static async Task<Ok<BackupInfo>> GetShort(
        HttpContext http, string backup_id, BackupService backups, IAuthorizationService authorization, CancellationToken ct)
    {
        var tenant = await backups.TenantOfAsync(backup_id, ct) ?? throw BackupService.NotFound(backup_id);
        await TenantResources.AuthorizeAsync(http, authorization, tenant, TenantPolicies.MemberRequirement, BackupService.NotFound(backup_id));
        return TypedResults.Ok(await backups.GetAsync(tenant, backup_id, ct));
    }

    private static async Task<NoContent> DeleteShort(
        HttpContext http, string backup_id, BackupService backups, IAuthorizationService authorization, CancellationToken ct)
    {
        var tenant = await backups.TenantOfAsync(backup_id, ct) ?? throw BackupService.NotFound(backup_id);
        await TenantResources.AuthorizeAsync(http, authorization, tenant, TenantPolicies.AdminRequirement, BackupService.NotFound(backup_id));
        await backups.DeleteAsync(tenant, backup_id, ct);
        return TypedResults.NoContent();
    }
#pragma warning restore IDE1006
}
