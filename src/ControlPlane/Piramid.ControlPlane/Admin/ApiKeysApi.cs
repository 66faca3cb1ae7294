using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Piramid.Contracts;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Access;
using Piramid.ControlPlane.Auditing;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Keys;
using Piramid.ControlPlane.Tenants;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Admin;

/// <summary>
/// A tenant's API keys: create (secret shown once), list, change, revoke, rotate. Each change and its audit event
/// commit in one transaction: the service saves the key, the trail then saves the event, and neither may stand alone.
/// </summary>
public static class ApiKeysApi
{
    private const int MaxGraceSeconds = 30 * 24 * 3600;

    /// <summary>
    /// Most collections in a key's scope. The gateway checks the scope on every request and the key travels in
    /// every introspection answer; a key is meant to name a few collections, not to list a tenant's whole catalogue.
    /// </summary>
    public const int MaxCollections = 100;

    /// <summary>
    /// Maps <c>/v1/tenants/{id}/api-keys</c> for operators and the tenant's own admins (a member token, or an admin
    /// key through the gateway, which also serves them at <c>/v1/api-keys</c>; docs/design/tenant-access.md).
    /// </summary>
    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/tenants/{id}/api-keys").RequireAuthorization(TenantPolicies.Admin);
        group.MapPost("/", Create).AddEndpointFilter(IdempotencyFilter.Handle);
        group.MapGet("/", List);
        group.MapPatch("/{keyId}", Update).AddEndpointFilter(IdempotencyFilter.Handle);
        group.MapDelete("/{keyId}", Revoke).AddEndpointFilter(IdempotencyFilter.Handle);
        group.MapPost("/{keyId}/rotate", Rotate).AddEndpointFilter(IdempotencyFilter.Handle);
        return app;
    }

    private static async Task<Created<ApiKeyInfo>> Create(
        string id, ApiKeyCreateRequest request, ApiKeyService keys, ControlPlaneDbContext db, AuditTrail audit, TimeProvider time, CancellationToken ct)
    {
        await RequireActiveTenantAsync(db, id, ct);
        var name = !Contracts.Names.NameRules.KeyName.IsValid(request.Name)
            ? throw new ProblemException(ProblemCatalog.InvalidRequest, "'name' is required (1-128 characters).")
            : request.Name;
        var role = ApiKeyService.IsTenantRole(request.Role)
            ? request.Role!
            : throw new ProblemException(ProblemCatalog.InvalidRequest, "'role' must be 'admin', 'read_write' or 'read_only'.");
        var collections = CheckScope(request.Collections);
        CheckExpiry(request.ExpiresAt, time);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var created = await keys.CreateAsync(id, name, role, collections, request.ExpiresAt, ct);
        audit.Record<ApiKeyInfo>("api_key.create", "api_key", created.Key.Id, id, null, created.Key.ToInfo());
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Created($"/v1/tenants/{id}/api-keys/{created.Key.Id}", created.Key.ToInfo(created.Secret));
    }

    private static async Task<Ok<ApiKeyList>> List(string id, ControlPlaneDbContext db, CancellationToken ct)
    {
        if (!await db.Tenants.AnyAsync(t => t.Id == id, ct))
        {
            throw new ProblemException(ProblemCatalog.NotFound, $"Tenant '{id}' does not exist.");
        }

        var keys = await db.ApiKeys.Where(k => k.TenantId == id).OrderByDescending(k => k.CreatedAt).ToListAsync(ct);
        return TypedResults.Ok(new ApiKeyList { ApiKeys = [.. keys.Select(k => k.ToInfo())] });
    }

    private static async Task<NoContent> Revoke(string id, string keyId, ApiKeyService keys, ControlPlaneDbContext db, AuditTrail audit, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await keys.RevokeAsync(id, keyId, ct))
        {
            throw new ProblemException(ProblemCatalog.NotFound, $"API key '{keyId}' does not exist for tenant '{id}'.");
        }

        audit.Record<ApiKeyInfo>("api_key.revoke", "api_key", keyId, id, null, null);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<ApiKeyInfo>> Rotate(
        string id, string keyId, ApiKeyRotateRequest? request, ApiKeyService keys, ControlPlaneDbContext db, AuditTrail audit, CancellationToken ct)
    {
        await RequireActiveTenantAsync(db, id, ct);
        var grace = request?.GracePeriodSeconds ?? 0;
        if (grace < 0 || grace > MaxGraceSeconds)
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, $"'grace_period_seconds' must be between 0 and {MaxGraceSeconds}.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var rotated = await keys.RotateAsync(id, keyId, TimeSpan.FromSeconds(grace), ct)
            ?? throw new ProblemException(ProblemCatalog.NotFound, $"API key '{keyId}' does not exist (or is revoked) for tenant '{id}'.");
        audit.Record<ApiKeyInfo>("api_key.rotate", "api_key", keyId, id, null, rotated.Key.ToInfo());
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(rotated.Key.ToInfo(rotated.Secret));
    }

    private static async Task<Ok<ApiKeyInfo>> Update(
        string id, string keyId, ApiKeyUpdateRequest request, ApiKeyService keys, ControlPlaneDbContext db, AuditTrail audit, TimeProvider time, CancellationToken ct)
    {
        await RequireActiveTenantAsync(db, id, ct);
        var notFound = new ProblemException(ProblemCatalog.NotFound, $"API key '{keyId}' does not exist (or is revoked) for tenant '{id}'.");
        var before = (await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == keyId && k.TenantId == id && k.RevokedAt == null, ct))?.ToInfo()
            ?? throw notFound;

        // A role is the power of every copy of the secret already handed out: raising it in place would hand that power
        // to all of them at once. A new role is a new key (and the old one revoked).
        if (request.Role is { } role && role != before.Role)
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, $"'role' cannot change (the key is '{before.Role}'): create a key with role '{role}' and revoke this one.");
        }

        if (request.Name is { } name && !Contracts.Names.NameRules.KeyName.IsValid(name))
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, "'name' must be 1-128 characters.");
        }

        var collections = request.NamesCollections() ? CheckScope(request.Collections) : null;
        if (request.NamesExpiresAt())
        {
            CheckExpiry(request.ExpiresAt, time);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var updated = await keys.UpdateAsync(id, keyId, new ApiKeyChange(request.Name, collections, request.NamesExpiresAt(), request.ExpiresAt), ct) ?? throw notFound;
        audit.Record("api_key.update", "api_key", keyId, id, before, updated.ToInfo());
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(updated.ToInfo());
    }

    private static IReadOnlyList<string> CheckScope(IReadOnlyList<string>? requested)
    {
        var collections = requested ?? [];
        if (collections.Count > MaxCollections)
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, $"'collections' holds {collections.Count} names; a key may be scoped to at most {MaxCollections} (leave it empty for all collections).");
        }

        foreach (var c in collections)
        {
            if (!Contracts.Names.NameRules.CollectionName.IsValid(c))
            {
                throw new ProblemException(ProblemCatalog.InvalidRequest, $"'collections' holds '{c}', which is not a valid collection name.");
            }
        }

        return collections;
    }

    private static void CheckExpiry(DateTimeOffset? expiresAt, TimeProvider time)
    {
        if (expiresAt is DateTimeOffset expires && expires <= time.GetUtcNow())
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, "'expires_at' must be in the future.");
        }
    }

    private static async Task RequireActiveTenantAsync(ControlPlaneDbContext db, string id, CancellationToken ct)
    {
        var status = await db.Tenants.Where(t => t.Id == id).Select(t => (TenantStatus?)t.Status).SingleOrDefaultAsync(ct)
            ?? throw new ProblemException(ProblemCatalog.NotFound, $"Tenant '{id}' does not exist.");
        if (status == TenantStatus.Deleted)
        {
            throw new ProblemException(ProblemCatalog.Conflict, $"Tenant '{id}' is deleted; its keys cannot change.");
        }
    }
}
