using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Piramid.Contracts.Json;
using Piramid.Contracts.Operations;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Operations;

/// <summary>Creates operations for the runner and reads them back (scoped: it shares the request's DbContext).</summary>
public sealed class OperationQueue(ControlPlaneDbContext db, OperationSignal signal, TimeProvider time)
{
    /// <summary>
    /// Adds a pending operation to the context without saving, so that a caller can save it with rows of its own in
    /// one transaction; call <see cref="Signal"/> after saving.
    /// </summary>
    public Operation Add(string tenantId, string kind, object request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var operation = new Operation
        {
            Id = NewId("op_"),
            TenantId = tenantId,
            Kind = kind,
            State = OperationStates.Pending,
            Request = JsonSerializer.Serialize(request, request.GetType(), WireJson.Options),
            CreatedAt = time.GetUtcNow(),
        };
        db.Operations.Add(operation);
        return operation;
    }

    /// <summary>Wakes this process's runner.</summary>
    public void Signal() => signal.Signal();

    /// <summary>Creates a pending operation of an existing tenant and wakes the runner; 404 for a tenant that does not exist.</summary>
    public async Task<OperationInfo> EnqueueAsync(string tenantId, string kind, object request, CancellationToken ct)
    {
        await RequireTenantAsync(db, tenantId, ct);
        var operation = Add(tenantId, kind, request);
        await db.SaveChangesAsync(ct);
        Signal();
        return operation.ToInfo();
    }

    /// <summary>The operation, or a 404 naming it (also when it belongs to another tenant than <paramref name="tenantId"/>).</summary>
    public async Task<OperationInfo> GetAsync(string tenantId, string operationId, CancellationToken ct)
    {
        var operation = await db.Operations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == operationId && o.TenantId == tenantId, ct);
        return operation?.ToInfo() ?? throw NotFound(operationId);
    }

    /// <summary>The tenant an operation belongs to, or null.</summary>
    public Task<string?> TenantOfAsync(string operationId, CancellationToken ct) =>
        db.Operations.AsNoTracking().Where(o => o.Id == operationId).Select(o => o.TenantId).SingleOrDefaultAsync(ct);

    /// <summary>The 404 of an operation that does not exist (or is another tenant's).</summary>
    public static ProblemException NotFound(string operationId) =>
        new(ProblemCatalog.NotFound, $"Operation '{operationId}' does not exist.");

    /// <summary>404 unless the tenant exists and is not deleted.</summary>
    public static async Task RequireTenantAsync(ControlPlaneDbContext db, string tenantId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!await db.Tenants.AnyAsync(t => t.Id == tenantId && t.Status != TenantStatus.Deleted, ct))
        {
            throw new ProblemException(ProblemCatalog.NotFound, $"Tenant '{tenantId}' does not exist.");
        }
    }

    /// <summary>A new id: <paramref name="prefix"/> and 128 random bits in hex.</summary>
    public static string NewId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
