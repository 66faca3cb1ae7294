using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Piramid.ControlPlane.Data;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Platform;
using Piramid.TestKit.Stripe;
using Piramid.TestKit.Time;
using static Piramid.Gateway.Tests.Support.BillingStripe;
using static Piramid.Gateway.Tests.Support.Probe;

namespace Piramid.Gateway.Tests;

/// <summary>
/// Stripe deduplicates a meter event's identifier "within a rolling period of at least 24 hours" (docs/design/billing.md):
/// a resend within it counts once, a resend after it may count again. The fake Stripe keeps exactly that window.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class BillingMeterWindowTests(PostgresFixture postgres)
{
    [Fact]
    public async Task AMeterEventWhoseAnswerWasLost_IsNotResentAfterStripesDedupWindow_SoItCountsOnce()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var stripe = await FakeStripe.StartAsync(clock);
        await using var platform = await StartAsync(postgres, stripe);
        var (tenantId, key) = await platform.TenantWithKeyAsync("late-answer");
        using var http = platform.Client(key);
        await WaitRoutedAsync(http);
        (await http.PutAsJsonAsync("/v1/collections/docs", new { dimension = 2 })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync("/v1/collections/docs/points", new { points = new[] { new { id = "a", vector = new[] { 1f, 2f } } } })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync("/v1/collections/docs/count", new { })).EnsureSuccessStatusCode();
        await platform.ReportUsageAsync();

        // Stripe records the first event; its answer is lost, and the control plane stays down for 25 hours.
        stripe.AbortAfterRecordingMeterEvents(1);
        await Assert.ThrowsAnyAsync<Exception>(() => Sender(platform).RunOnceAsync(CancellationToken.None));
        Assert.Single(stripe.MeterEvents);
        clock.Advance(TimeSpan.FromHours(25));
        await using (var scope = platform.ControlPlane.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
            Assert.Equal(1, await db.Database.ExecuteSqlRawAsync(
                "UPDATE meter_events SET first_sent_at = first_sent_at - interval '25 hours' WHERE sent_at IS NULL AND first_sent_at IS NOT NULL"));
        }

        await Sender(platform).RunOnceAsync(CancellationToken.None);

        // Each meter holds the tenant's usage once: the lost one was not sent again, the others were sent.
        var customer = Assert.Single(stripe.Customers)["id"]!.GetValue<string>();
        using var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator);
        var usage = (await admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{tenantId}/usage"))!;
        long Sent(string name) => stripe.MeterEvents.Where(e => e.CustomerId == customer && e.EventName == name).Sum(e => e.Value);
        Assert.True(usage["read_units"]!.GetValue<long>() > 0 && usage["write_units"]!.GetValue<long>() > 0);
        Assert.Equal(usage["read_units"]!.GetValue<long>(), Sent("piramid_read_units"));
        Assert.Equal(usage["write_units"]!.GetValue<long>(), Sent("piramid_write_units"));

        await using (var scope = platform.ControlPlane.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
            var unconfirmed = await db.MeterEvents.AsNoTracking().SingleAsync(e => e.Unconfirmed);
            Assert.NotNull(unconfirmed.SentAt);
            Assert.Equal(0, await db.MeterEvents.CountAsync(e => e.SentAt == null));
        }

        Assert.Contains("unconfirmed", platform.ControlPlane.Logs.Text, StringComparison.Ordinal);
    }
}
