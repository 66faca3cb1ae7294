using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Billing;

/// <summary>
/// A tenant's Stripe customer and subscription, made lazily and idempotently: created when first needed (the meter
/// round, a checkout), and the subscription moved to the tenant's plan's prices when the plan changed.
/// </summary>
public sealed class BillingAccounts(ControlPlaneDbContext db, StripeGateway stripe, IOptions<BillingOptions> options)
{
    /// <summary>The tenant's account with a customer and a subscription to its plan (when the plan has Stripe prices).</summary>
    public async Task<BillingAccount> EnsureAsync(Tenant tenant, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var account = await db.BillingAccounts.SingleOrDefaultAsync(a => a.TenantId == tenant.Id, ct);
        if (account is null)
        {
            account = db.BillingAccounts.Add(new BillingAccount { TenantId = tenant.Id }).Entity;
        }

        if (account.CustomerId is null)
        {
            account.CustomerId = await stripe.CreateCustomerAsync(tenant.Id, tenant.Name, ct);
            await db.SaveChangesAsync(ct);
        }

        var prices = options.Value.PriceOf(tenant.PlanId).StripePriceIds;
        if (account.SubscribedPlanId != tenant.PlanId && prices.Count > 0)
        {
            if (account.SubscriptionId is null)
            {
                account.SubscriptionId = await stripe.CreateSubscriptionAsync(tenant.Id, account.CustomerId, tenant.PlanId, prices, ct);
            }
            else
            {
                await stripe.UpdateSubscriptionAsync(account.SubscriptionId, tenant.PlanId, prices, ct);
            }

            account.SubscribedPlanId = tenant.PlanId;
            await db.SaveChangesAsync(ct);
        }

        return account;
    }
}
