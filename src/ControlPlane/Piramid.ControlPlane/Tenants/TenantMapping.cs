using Piramid.Contracts.Admin;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Tenants;

/// <summary>Entity to API shapes (secrets and hashes never cross this line).</summary>
public static class TenantMapping
{
    /// <summary>A tenant for the API.</summary>
    public static TenantInfo ToInfo(this Tenant tenant, EngineState? engine) => new()
    {
        Id = tenant.Id,
        Name = tenant.Name,
        Plan = tenant.PlanId,
        Status = tenant.Status.ToString().ToLowerInvariant(),
        EngineState = engine is { } state ? Orchestration.EngineStateNames.ToRouteState(state) : null,
        CreatedAt = tenant.CreatedAt,
        UpdatedAt = tenant.UpdatedAt,
        PurgeAfter = tenant.PurgeAfter,
    };

    /// <summary>A key for the API, with the full secret only when given.</summary>
    public static ApiKeyInfo ToInfo(this ApiKey key, string? secret = null) => new()
    {
        Id = key.Id,
        TenantId = key.TenantId,
        Name = key.Name,
        Role = key.Role,
        Collections = key.Collections,
        CreatedAt = key.CreatedAt,
        ExpiresAt = key.ExpiresAt,
        RevokedAt = key.RevokedAt,
        RotatedAt = key.RotatedAt,
        PreviousSecretExpiresAt = key.PreviousSecretExpiresAt,
        LastUsedAt = key.LastUsedAt,
        Key = secret,
    };

    /// <summary>The limits of a plan that every member of its tenants may read.</summary>
    public static TenantLimits ToLimits(this Plan plan) => new()
    {
        MaxCollections = plan.MaxCollections,
        MaxPoints = plan.MaxPoints,
        MaxStorageBytes = plan.MaxStorageBytes,
        MaxDimension = plan.MaxDimension,
        MonthlyReadUnits = plan.MonthlyReadUnits,
        MonthlyWriteUnits = plan.MonthlyWriteUnits,
        ReadRatePerSecond = plan.ReadRatePerSecond,
        WriteRatePerSecond = plan.WriteRatePerSecond,
    };

    /// <summary>A plan for the API.</summary>
    public static PlanInfo ToInfo(this Plan plan) => new()
    {
        Id = plan.Id,
        Name = plan.Name,
        MaxCollections = plan.MaxCollections,
        MaxPoints = plan.MaxPoints,
        MaxStorageBytes = plan.MaxStorageBytes,
        MaxDimension = plan.MaxDimension,
        ReadRatePerSecond = plan.ReadRatePerSecond,
        ReadBurst = plan.ReadBurst,
        WriteRatePerSecond = plan.WriteRatePerSecond,
        WriteBurst = plan.WriteBurst,
        MonthlyReadUnits = plan.MonthlyReadUnits,
        MonthlyWriteUnits = plan.MonthlyWriteUnits,
        MaxRequestsInFlight = plan.MaxRequestsInFlight,
        EngineMemoryBytes = plan.EngineMemoryBytes,
        AuditRetentionDays = plan.AuditRetentionDays,
        BackupIntervalHours = plan.BackupIntervalHours,
        BackupRetentionDays = plan.BackupRetentionDays,
        PitrWindowHours = plan.PitrWindowHours,
        HibernateAfterSeconds = plan.HibernateAfterSeconds,
    };
}
