using Microsoft.EntityFrameworkCore;
using Piramid.ControlPlane.Data;

namespace Piramid.ControlPlane.Billing;

/// <summary>What a tenant's payment status means for its requests, as the gateway is told with each key.</summary>
public static class PaymentStanding
{
    /// <summary>When the tenant's writes start answering 402, or null while its payments are in order.</summary>
    public static async Task<DateTimeOffset?> WritesRefusedFromAsync(ControlPlaneDbContext db, BillingOptions options, string tenantId, string planId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(options);
        var account = await db.BillingAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.TenantId == tenantId, ct);
        return BillingService.WritesRefusedFrom(account, options.PriceOf(planId));
    }

    /// <summary>Each listed tenant's payment status and grace end (tenants without an account: <c>none</c>).</summary>
    public static async Task AddToAsync(ControlPlaneDbContext db, BillingOptions options, IReadOnlyList<Contracts.Admin.TenantInfo> tenants, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tenants);
        var accounts = await db.BillingAccounts.AsNoTracking().ToDictionaryAsync(a => a.TenantId, ct);
        foreach (var tenant in tenants)
        {
            var account = accounts.GetValueOrDefault(tenant.Id);
            tenant.PaymentStatus = account?.PaymentStatus ?? PaymentStatuses.None;
            tenant.WritesRefusedFrom = BillingService.WritesRefusedFrom(account, options.PriceOf(tenant.Plan));
        }
    }
}
