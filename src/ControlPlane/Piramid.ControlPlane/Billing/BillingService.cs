using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Piramid.Contracts.Billing;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Billing;

/// <summary>What <c>GET /v1/tenants/{id}/billing</c> shows, and the Checkout and Portal sessions.</summary>
public sealed class BillingService(ControlPlaneDbContext db, IServiceProvider services, IOptions<BillingOptions> options, TimeProvider time)
{
    /// <summary>Invoices listed.</summary>
    public const int InvoiceLimit = 12;

    /// <summary>Plan, payment status, this month's usage and estimate, and the invoices.</summary>
    public async Task<TenantBilling> GetAsync(string tenantId, CancellationToken ct)
    {
        var tenant = await FindAsync(tenantId, ct);
        var account = await db.BillingAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.TenantId == tenantId, ct);
        var price = options.Value.PriceOf(tenant.PlanId);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var start = new DateOnly(today.Year, today.Month, 1);
        var end = start.AddMonths(1).AddDays(-1);
        var days = await db.UsageRecords.AsNoTracking().Where(u => u.TenantId == tenantId && u.Day >= start && u.Day <= end).ToListAsync(ct);
        var read = days.Sum(d => d.ReadUnits);
        var write = days.Sum(d => d.WriteUnits);
        // Whole MB-hours per day, as the meter events carry them, so the estimate is what Stripe will count.
        var mbHours = days.Sum(d => Pricing.MbHours(d.StorageByteSeconds));
        var amount = Pricing.Estimate(price, read, write, mbHours);
        IReadOnlyList<BillingInvoice> invoices = [];
        if (options.Value.StripeEnabled && account?.CustomerId is { } customer)
        {
            var stripe = services.GetRequiredService<StripeGateway>();
            invoices = [.. (await stripe.ListInvoicesAsync(customer, InvoiceLimit, ct)).Select(i => new BillingInvoice
            {
                Number = i.Number,
                PeriodStart = new DateTimeOffset(DateTime.SpecifyKind(i.PeriodStart, DateTimeKind.Utc)),
                PeriodEnd = new DateTimeOffset(DateTime.SpecifyKind(i.PeriodEnd, DateTimeKind.Utc)),
                Amount = i.AmountDue / 100m,
                Currency = i.Currency,
                Status = i.Status,
                Url = i.HostedInvoiceUrl,
            })];
        }

        return new TenantBilling
        {
            Plan = tenant.PlanId,
            PaymentStatus = account?.PaymentStatus ?? PaymentStatuses.None,
            WritesRefusedFrom = WritesRefusedFrom(account, price),
            CancelAtPeriodEnd = account?.CancelAtPeriodEnd ?? false,
            StripeEnabled = options.Value.StripeEnabled,
            Period = new BillingPeriod
            {
                Start = start,
                End = end,
                ReadUnits = read,
                WriteUnits = write,
                StorageGbHours = Usage.UsageStore.GbHours(days.Sum(d => d.StorageByteSeconds)),
                IncludedReadUnits = price.IncludedReadUnits,
                IncludedWriteUnits = price.IncludedWriteUnits,
                IncludedStorageGbHours = (double)(price.IncludedGbMonths * Pricing.HoursPerMonth),
                EstimatedAmount = amount.Total,
                Currency = price.Currency,
            },
            Invoices = invoices,
        };
    }

    /// <summary>A Checkout session (setup mode) for the tenant's payment method.</summary>
    public async Task<BillingSession> CheckoutAsync(string tenantId, CancellationToken ct)
    {
        var (stripe, customer, tenant) = await CustomerAsync(tenantId, ct);
        return new BillingSession { Url = await stripe.CreateCheckoutUrlAsync(customer, options.Value.PriceOf(tenant.PlanId).Currency, ct) };
    }

    /// <summary>A Customer Portal session.</summary>
    public async Task<BillingSession> PortalAsync(string tenantId, CancellationToken ct)
    {
        var (stripe, customer, _) = await CustomerAsync(tenantId, ct);
        return new BillingSession { Url = await stripe.CreatePortalUrlAsync(customer, ct) };
    }

    /// <summary>When writes of a past-due account start answering 402: the plan's grace after the failed payment.</summary>
    public static DateTimeOffset? WritesRefusedFrom(BillingAccount? account, PlanPrice price)
    {
        ArgumentNullException.ThrowIfNull(price);
        return account is { PaymentStatus: PaymentStatuses.PastDue, PastDueSince: { } since } ? since + price.PaymentGrace : null;
    }

    private async Task<(StripeGateway Stripe, string Customer, Tenant Tenant)> CustomerAsync(string tenantId, CancellationToken ct)
    {
        var tenant = await FindAsync(tenantId, ct);
        if (!options.Value.StripeEnabled)
        {
            throw new ProblemException(ProblemCatalog.NotFound, "Billing runs without Stripe on this platform: there are no payment methods to manage.");
        }

        var account = await services.GetRequiredService<BillingAccounts>().EnsureAsync(tenant, ct);
        return (services.GetRequiredService<StripeGateway>(), account.CustomerId!, tenant);
    }

    private async Task<Tenant> FindAsync(string tenantId, CancellationToken ct) =>
        await db.Tenants.SingleOrDefaultAsync(t => t.Id == tenantId && t.Status != TenantStatus.Deleted, ct)
        ?? throw new ProblemException(ProblemCatalog.NotFound, $"Tenant '{tenantId}' does not exist.");
}
