using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Piramid.Contracts.Identity;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Keys;

/// <summary>
/// Creates, changes, rotates, revokes and checks tenant API keys. Every change appends a <c>key</c> event to the
/// change feed so the gateway drops its cached answer within a poll.
/// </summary>
public sealed class ApiKeyService(ControlPlaneDbContext db, TimeProvider time)
{
    private static readonly string[] TenantRoles = [Roles.Admin, Roles.ReadWrite, Roles.ReadOnly];

    // Compared against when the key id is unknown, so that path does the same work as a wrong secret.
    private static readonly byte[] DummyHash = RandomNumberGenerator.GetBytes(32);

    /// <summary>True for a role a tenant key may have.</summary>
    public static bool IsTenantRole(string? role) => role is not null && TenantRoles.Contains(role);

    /// <summary>Creates a key; the returned secret is never stored.</summary>
    public async Task<CreatedApiKey> CreateAsync(string tenantId, string name, string role, IReadOnlyList<string> collections, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        var (id, secret, full) = ApiKeyFormat.Generate();
        var key = new ApiKey
        {
            Id = id,
            TenantId = tenantId,
            Name = name,
            Role = role,
            Collections = [.. collections],
            SecretHash = ApiKeyFormat.HashSecret(secret),
            ExpiresAt = expiresAt?.ToUniversalTime(), // PostgreSQL stores timestamptz from UTC offsets only
            CreatedAt = time.GetUtcNow(),
        };
        db.ApiKeys.Add(key);
        db.ChangeEvents.Add(Change(id));
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedApiKey(key, full);
    }

    /// <summary>
    /// Changes a key's name, scope or expiry in place (same id, same secret); null arguments leave a field as it is.
    /// The change event makes every gateway drop its cached answer for the key, so the old scope stops within a poll.
    /// Null when the key does not exist, is revoked or is another tenant's.
    /// </summary>
    public async Task<ApiKey?> UpdateAsync(string tenantId, string keyId, ApiKeyChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.TenantId == tenantId && k.RevokedAt == null, cancellationToken);
        if (key is null)
        {
            return null;
        }

        key.Name = change.Name ?? key.Name;
        key.Collections = change.Collections is { } collections ? [.. collections] : key.Collections;
        key.ExpiresAt = change.SetsExpiry ? change.ExpiresAt?.ToUniversalTime() : key.ExpiresAt;
        db.ChangeEvents.Add(Change(key.Id));
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }

    /// <summary>
    /// Replaces the secret. With a grace period the old secret keeps working until it ends, so clients can
    /// roll over without an outage; without one it stops at once. Null when the key does not exist.
    /// </summary>
    public async Task<CreatedApiKey?> RotateAsync(string tenantId, string keyId, TimeSpan grace, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.TenantId == tenantId && k.RevokedAt == null, cancellationToken);
        if (key is null)
        {
            return null;
        }

        var (_, secret, _) = ApiKeyFormat.Generate();
        var now = time.GetUtcNow();
        key.PreviousSecretHash = grace > TimeSpan.Zero ? key.SecretHash : null;
        key.PreviousSecretExpiresAt = grace > TimeSpan.Zero ? now + grace : null;
        key.SecretHash = ApiKeyFormat.HashSecret(secret);
        key.RotatedAt = now;
        db.ChangeEvents.Add(Change(key.Id));
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedApiKey(key, ApiKeyFormat.Compose(key.Id, secret));
    }

    /// <summary>Revokes one key; false when it does not exist (or is another tenant's).</summary>
    public async Task<bool> RevokeAsync(string tenantId, string keyId, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.TenantId == tenantId, cancellationToken);
        if (key is null)
        {
            return false;
        }

        key.RevokedAt ??= time.GetUtcNow();
        db.ChangeEvents.Add(Change(key.Id));
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Revokes every key of a tenant (tenant deletion); returns how many.</summary>
    public async Task<int> RevokeAllAsync(string tenantId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var keys = await db.ApiKeys.Where(k => k.TenantId == tenantId && k.RevokedAt == null).ToListAsync(cancellationToken);
        foreach (var key in keys)
        {
            key.RevokedAt = now;
            db.ChangeEvents.Add(Change(key.Id));
        }

        await db.SaveChangesAsync(cancellationToken);
        return keys.Count;
    }

    /// <summary>
    /// Checks a key id and the SHA-256 of the presented secret (the gateway never sends the secret itself).
    /// Null for an unknown, revoked or expired key, a wrong secret, or a deleted tenant. A suspended tenant's
    /// valid key is answered (flagged), so its holder learns why it is refused instead of a bare 401.
    /// </summary>
    public async Task<KeyIntrospection?> IntrospectAsync(string keyId, byte[] secretHash, CancellationToken cancellationToken)
    {
        var row = await db.ApiKeys
            .Where(k => k.Id == keyId)
            .Join(db.Tenants.Include(t => t.Plan), k => k.TenantId, t => t.Id, (k, t) => new { Key = k, Tenant = t })
            .SingleOrDefaultAsync(cancellationToken);
        var now = time.GetUtcNow();
        if (row is null)
        {
            _ = CryptographicOperations.FixedTimeEquals(DummyHash, secretHash);
            return null;
        }

        if (row.Key.RevokedAt is not null || row.Key.ExpiresAt <= now || row.Tenant.Status is not (TenantStatus.Active or TenantStatus.Suspended))
        {
            return null;
        }

        DateTimeOffset? expires = row.Key.ExpiresAt;
        if (!CryptographicOperations.FixedTimeEquals(row.Key.SecretHash, secretHash))
        {
            var previousValid = row.Key.PreviousSecretHash is not null && row.Key.PreviousSecretExpiresAt > now
                && CryptographicOperations.FixedTimeEquals(row.Key.PreviousSecretHash, secretHash);
            if (!previousValid)
            {
                return null;
            }

            expires = expires is null || row.Key.PreviousSecretExpiresAt < expires ? row.Key.PreviousSecretExpiresAt : expires;
        }

        return new KeyIntrospection(row.Key.Id, row.Tenant.Id, row.Key.Role, row.Key.Collections, expires, row.Tenant.Plan!, row.Tenant.Status == TenantStatus.Suspended);
    }

    private ChangeEvent Change(string keyId) => new() { Kind = Contracts.Admin.ChangeKinds.Key, Subject = keyId, Time = time.GetUtcNow() };
}
