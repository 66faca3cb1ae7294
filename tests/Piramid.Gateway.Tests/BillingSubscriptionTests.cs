using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Piramid.ControlPlane.Data;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Platform;
using Piramid.TestKit.Stripe;
using static Piramid.Gateway.Tests.Support.BillingStripe;

namespace Piramid.Gateway.Tests;

/// <summary>
/// The subscription both ways: a plan changed in Piramid reaches Stripe once, and a subscription changed in Stripe
/// (<c>customer.subscription.updated</c>) reaches the tenant once and in event order. Against the fake Stripe over HTTP.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class BillingSubscriptionTests(PostgresFixture postgres)
{
    [Fact]
    public async Task APlanChange_ReplacesTheSubscriptionsPricesOnce_EvenWhenItsAnswerIsLostAndTheRoundRetried()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var platform = await StartAsync(postgres, stripe);
        var (tenantId, _) = await platform.TenantWithKeyAsync("moving");
        await Sender(platform).RunOnceAsync(CancellationToken.None);
        Assert.Equal(["price_free_base", "price_free_reads"], Prices(Assert.Single(stripe.Subscriptions)));
        Assert.Equal(0, stripe.SubscriptionUpdates);

        using var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator);
        (await admin.PatchAsJsonAsync($"/v1/tenants/{tenantId}", new { plan = "standard" })).EnsureSuccessStatusCode();

        // Stripe applies the change, and the control plane never hears back.
        stripe.AbortAfterApplyingSubscriptionUpdates(1);
        await Assert.ThrowsAnyAsync<Exception>(() => Sender(platform).RunOnceAsync(CancellationToken.None));
        Assert.Equal(1, stripe.SubscriptionUpdates);
        var item = Assert.Single(Assert.Single(stripe.Subscriptions)["items"]!["data"]!.AsArray())!["id"]!.GetValue<string>();

        // The retry finds the subscription on the plan already: nothing is replaced again, now or later.
        await Sender(platform).RunOnceAsync(CancellationToken.None);
        await Sender(platform).RunOnceAsync(CancellationToken.None);
        Assert.Equal(1, stripe.SubscriptionUpdates);
        var subscription = Assert.Single(stripe.Subscriptions);
        Assert.Equal(["price_standard"], Prices(subscription));
        Assert.Equal(item, subscription["items"]!["data"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("standard", subscription["metadata"]!["plan_id"]!.GetValue<string>());
        Assert.Equal("standard", (await AccountAsync(platform, tenantId)).SubscribedPlanId);
    }

    [Fact]
    public async Task SubscriptionUpdated_SetsStatusPlanAndCancelAtPeriodEnd_OnceAndInEventOrder()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var platform = await StartAsync(postgres, stripe);
        var (tenantId, _) = await platform.TenantWithKeyAsync("updated");
        await Sender(platform).RunOnceAsync(CancellationToken.None);
        var customer = Assert.Single(stripe.Customers)["id"]!.GetValue<string>();
        var subscriptionId = Assert.Single(stripe.Subscriptions)["id"]!.GetValue<string>();
        using var anonymous = platform.Client(null);
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-5);

        var pastDue = Updated("evt_sub_past_due", t0.AddMinutes(1), Subscription(subscriptionId, customer, "past_due", false, "price_free_base", "price_free_reads"));
        Assert.Equal("applied", await DeliverAsync(anonymous, pastDue));
        Assert.Equal("duplicate", await DeliverAsync(anonymous, pastDue));
        var billing = await BillingAsync(platform, tenantId);
        Assert.Equal("past_due", billing["payment_status"]!.GetValue<string>());
        Assert.False(billing["cancel_at_period_end"]!.GetValue<bool>());

        // Changed in Stripe's Customer Portal: paid, moved to the standard plan's price, ending at the period's end.
        var moved = Updated("evt_sub_moved", t0.AddMinutes(3), Subscription(subscriptionId, customer, "active", true, "price_standard"));
        Assert.Equal("applied", await DeliverAsync(anonymous, moved));
        Assert.Equal("duplicate", await DeliverAsync(anonymous, moved));

        // An older update delivered late changes nothing.
        var older = Updated("evt_sub_older", t0.AddMinutes(2), Subscription(subscriptionId, customer, "past_due", false, "price_free_base", "price_free_reads"));
        Assert.Equal("stale", await DeliverAsync(anonymous, older));

        billing = await BillingAsync(platform, tenantId);
        Assert.Equal("active", billing["payment_status"]!.GetValue<string>());
        Assert.True(billing["cancel_at_period_end"]!.GetValue<bool>());
        Assert.Equal("standard", billing["plan"]!.GetValue<string>());
        using var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator);
        Assert.Equal("standard", (await admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{tenantId}"))!["plan"]!.GetValue<string>());
        var listed = (await admin.GetFromJsonAsync<JsonObject>("/v1/tenants"))!["tenants"]!.AsArray().Single(t => t!["id"]!.GetValue<string>() == tenantId)!;
        Assert.Equal("active", listed["payment_status"]!.GetValue<string>());

        // The plan came from Stripe: the next meter round leaves the subscription as Stripe has it.
        await Sender(platform).RunOnceAsync(CancellationToken.None);
        Assert.Equal(0, stripe.SubscriptionUpdates);

        await using var scope = platform.ControlPlane.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        Assert.Equal(2, await db.AuditEvents.CountAsync(e => e.Action == "billing.payment_status" && e.TenantId == tenantId));
    }

    [Fact]
    public async Task APlanChangeFromStripe_ThatFailsToApply_IsAppliedByStripesRetry_AndNotMovedBack()
    {
        var fault = new FailingPlanSave();
        await using var stripe = await FakeStripe.StartAsync();
        await using var platform = await StartAsync(postgres, stripe,
            controlPlaneServices: b => b.Services.ConfigureDbContext<ControlPlaneDbContext>(o => o.AddInterceptors(fault)));
        var (tenantId, _) = await platform.TenantWithKeyAsync("retried");
        await Sender(platform).RunOnceAsync(CancellationToken.None);
        var customer = Assert.Single(stripe.Customers)["id"]!.GetValue<string>();
        var subscriptionId = Assert.Single(stripe.Subscriptions)["id"]!.GetValue<string>();
        using var anonymous = platform.Client(null);
        var moved = Updated("evt_sub_moved_retried", DateTimeOffset.UtcNow.AddMinutes(-1), Subscription(subscriptionId, customer, "active", false, "price_standard"));

        // Saving the tenant's new plan fails once: Stripe sees an error and delivers the event again.
        fault.Armed = true;
        using (var first = await PostSignedAsync(anonymous, moved))
        {
            Assert.False(first.IsSuccessStatusCode);
        }

        Assert.False(fault.Armed);
        Assert.Equal("applied", await DeliverAsync(anonymous, moved));
        using var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator);
        Assert.Equal("standard", (await admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{tenantId}"))!["plan"]!.GetValue<string>());
        Assert.Equal("standard", (await AccountAsync(platform, tenantId)).SubscribedPlanId);

        // The meter round finds tenant and subscription on the same plan: it does not move the customer back.
        await Sender(platform).RunOnceAsync(CancellationToken.None);
        Assert.Equal(0, stripe.SubscriptionUpdates);
    }

    private static string Updated(string id, DateTimeOffset created, JsonObject subscription) =>
        FakeStripe.EventJson(id, "customer.subscription.updated", created, subscription);

    private static string[] Prices(JsonObject subscription) =>
        [.. subscription["items"]!["data"]!.AsArray().Select(i => i!["price"]!["id"]!.GetValue<string>())];

    private static async Task<Piramid.ControlPlane.Data.Entities.BillingAccount> AccountAsync(PlatformHost platform, string tenantId)
    {
        await using var scope = platform.ControlPlane.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        return await db.BillingAccounts.AsNoTracking().SingleAsync(a => a.TenantId == tenantId);
    }

    private static async Task<JsonObject> BillingAsync(PlatformHost platform, string tenantId)
    {
        using var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator);
        using var response = await admin.GetAsync(new Uri($"/v1/tenants/{tenantId}/billing", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    // Fails the first save that changes a tenant's plan while armed (a database error at the worst moment).
    private sealed class FailingPlanSave : SaveChangesInterceptor
    {
        public volatile bool Armed;

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
            DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            var changesPlan = eventData.Context?.ChangeTracker.Entries<Piramid.ControlPlane.Data.Entities.Tenant>()
                .Any(e => e.State == EntityState.Modified && e.Property(t => t.PlanId).IsModified) ?? false;
            if (changesPlan && Armed)
            {
                Armed = false;
                throw new InvalidOperationException("Injected: the database failed while saving the tenant's plan.");
            }

            return base.SavingChangesAsync(eventData, result, cancellationToken);
        }
    }
}
