using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Piramid.ControlPlane.Billing;
using Piramid.ControlPlane.Data;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Platform;
using Piramid.TestKit.Stripe;
using static Piramid.Gateway.Tests.Support.BillingStripe;
using static Piramid.Gateway.Tests.Support.Probe;

namespace Piramid.Gateway.Tests;

/// <summary>
/// Billing with Stripe end to end: the gateway, the control plane and engine processes, with a fake of Stripe's
/// endpoints on loopback (Piramid.TestKit/Stripe/FakeStripe.cs).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class StripeBillingTests(PostgresFixture postgres)
{
    [Fact]
    public async Task MeterEvents_AreCountedOnce_AcrossAControlPlaneRestartBetweenSendAndRecord()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var platform = await StartAsync(postgres, stripe);
        var (tenantId, key) = await platform.TenantWithKeyAsync("metered");
        using var http = platform.Client(key);
        await WaitRoutedAsync(http);
        await UseAsync(http, reads: 3);
        await platform.ReportUsageAsync();

        // The first event reaches Stripe, then the control plane hears nothing back: as if it died before recording it.
        stripe.AbortAfterRecordingMeterEvents(1);
        await Assert.ThrowsAnyAsync<Exception>(() => Sender(platform).RunOnceAsync(CancellationToken.None));
        Assert.Single(stripe.MeterEvents);
        await platform.ControlPlane.RestartAsync();
        Assert.True(await Sender(platform).RunOnceAsync(CancellationToken.None) >= 2);

        var customer = Assert.Single(stripe.Customers)["id"]!.GetValue<string>();
        await AssertStripeHasUsageAsync(platform, stripe, tenantId, customer);
        Assert.Equal(stripe.MeterEvents.Count + 1, stripe.MeterEventRequests); // the one resend, counted once

        // Later usage goes as the growth of the day's totals; a round with nothing new sends nothing.
        await UseAsync(http, reads: 2);
        await platform.ReportUsageAsync();
        Assert.Equal(2, await Sender(platform).RunOnceAsync(CancellationToken.None));
        Assert.Equal(0, await Sender(platform).RunOnceAsync(CancellationToken.None));
        await AssertStripeHasUsageAsync(platform, stripe, tenantId, customer);
        Assert.Single(stripe.Customers);
        var subscription = Assert.Single(stripe.Subscriptions);
        Assert.Equal(["price_free_base", "price_free_reads"], subscription["items"]!["data"]!.AsArray().Select(i => i!["price"]!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task TheEstimate_IsWhatStripeInvoicesForTheSameUsage()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var platform = await StartAsync(postgres, stripe);
        var (tenantId, key) = await platform.TenantWithKeyAsync("estimated");
        using var http = platform.Client(key);
        await WaitRoutedAsync(http);
        await UseAsync(http, reads: 25);
        await platform.ReportUsageAsync();
        await Sender(platform).RunOnceAsync(CancellationToken.None);

        using var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator);
        var billing = await BillingAsync(platform, tenantId);
        var period = billing!["period"]!;
        Assert.True(period["read_units"]!.GetValue<long>() > 10, "usage beyond the included units, so the lines are not all zero");
        var price = platform.ControlPlane.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<BillingOptions>>().Value.PriceOf("free");
        var customer = Assert.Single(stripe.Customers)["id"]!.GetValue<string>();
        var invoiced = stripe.InvoiceAmount(customer, new Dictionary<string, MeterPrice>
        {
            ["piramid_read_units"] = new(price.IncludedReadUnits, Pricing.UnitAmountDecimal(price, Meters.ReadUnits)),
            ["piramid_write_units"] = new(price.IncludedWriteUnits, Pricing.UnitAmountDecimal(price, Meters.WriteUnits)),
            ["piramid_storage_mb_hours"] = new(Pricing.IncludedMbHours(price), Pricing.UnitAmountDecimal(price, Meters.StorageMbHours)),
        }, fixedMinor: Pricing.ToMinor(price.MonthlyPrice));
        Assert.True(invoiced > Pricing.ToMinor(price.MonthlyPrice));
        Assert.Equal(invoiced / 100m, period["estimated_amount"]!.GetValue<decimal>());
        Assert.Equal("usd", period["currency"]!.GetValue<string>());

        // The invoices Stripe lists are the tenant's.
        var now = DateTimeOffset.UtcNow;
        stripe.AddInvoice(customer, invoiced, "usd", "open", now.AddDays(-30), now);
        billing = await BillingAsync(platform, tenantId);
        var invoice = Assert.Single(billing!["invoices"]!.AsArray())!;
        Assert.Equal(invoiced / 100m, invoice["amount"]!.GetValue<decimal>());
        Assert.Equal("open", invoice["status"]!.GetValue<string>());
        Assert.StartsWith("https://invoice.stripe.com/", invoice["url"]!.GetValue<string>(), StringComparison.Ordinal);

        // Checkout and the Customer Portal answer the session's URL.
        foreach (var (path, prefix) in new[] { ("checkout", "https://checkout.stripe.com/"), ("portal", "https://billing.stripe.com/") })
        {
            using var response = await admin.PostAsync(new Uri($"/v1/tenants/{tenantId}/billing/{path}", UriKind.Relative), null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith(prefix, (await response.Content.ReadFromJsonAsync<JsonObject>())!["url"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Webhooks_DeliveredTwiceOrOutOfOrder_AreAppliedOnce_AndInOrder()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var platform = await StartAsync(postgres, stripe);
        var (tenantId, _) = await platform.TenantWithKeyAsync("hooked", plan: "standard");
        await Sender(platform).RunOnceAsync(CancellationToken.None);
        var customer = Assert.Single(stripe.Customers)["id"]!.GetValue<string>();
        using var anonymous = platform.Client(null);
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-3);

        var failed = Invoice("evt_failed", "invoice.payment_failed", customer, t0.AddMinutes(1));
        Assert.Equal("applied", await DeliverAsync(anonymous, failed));
        Assert.Equal("duplicate", await DeliverAsync(anonymous, failed));
        Assert.Equal("past_due", await StatusAsync(platform, tenantId));

        // An older paid invoice delivered late does not undo the newer failure.
        Assert.Equal("stale", await DeliverAsync(anonymous, Invoice("evt_old_paid", "invoice.paid", customer, t0)));
        Assert.Equal("past_due", await StatusAsync(platform, tenantId));

        var paid = Invoice("evt_paid", "invoice.paid", customer, t0.AddMinutes(2));
        Assert.Equal("applied", await DeliverAsync(anonymous, paid));
        Assert.Equal("duplicate", await DeliverAsync(anonymous, paid));
        Assert.Equal("duplicate", await DeliverAsync(anonymous, failed));
        Assert.Equal("active", await StatusAsync(platform, tenantId));

        // One status change per event applied, in the tenant's trail.
        await using var scope = platform.ControlPlane.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        Assert.Equal(2, await db.AuditEvents.CountAsync(e => e.Action == "billing.payment_status" && e.TenantId == tenantId));

        // A deleted subscription suspends the tenant.
        var subscription = new JsonObject { ["id"] = "sub_x", ["object"] = "subscription", ["customer"] = customer, ["status"] = "canceled" };
        Assert.Equal("applied", await DeliverAsync(anonymous, FakeStripe.EventJson("evt_deleted", "customer.subscription.deleted", t0.AddMinutes(3), subscription)));
        Assert.Equal("canceled", await StatusAsync(platform, tenantId));
        using var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator);
        Assert.Equal("suspended", (await admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{tenantId}"))!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task ForgedStaleAndUnsignedWebhooks_AreRefusedWith400_AndAudited()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var platform = await StartAsync(postgres, stripe);
        var (tenantId, _) = await platform.TenantWithKeyAsync("guarded", plan: "standard");
        await Sender(platform).RunOnceAsync(CancellationToken.None);
        var customer = Assert.Single(stripe.Customers)["id"]!.GetValue<string>();
        using var anonymous = platform.Client(null);
        var payload = Invoice("evt_forged", "invoice.payment_failed", customer, DateTimeOffset.UtcNow);

        var attempts = new (string Name, string? Signature)[]
        {
            ("forged", FakeStripe.Sign(payload, "whsec_someone_else", DateTimeOffset.UtcNow)),
            ("stale", FakeStripe.Sign(payload, Secret, DateTimeOffset.UtcNow.AddMinutes(-10))),
            ("unsigned", null),
            ("tampered", FakeStripe.Sign(payload.Replace("payment_failed", "paid", StringComparison.Ordinal), Secret, DateTimeOffset.UtcNow)),
        };
        foreach (var (name, signature) in attempts)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/stripe") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
            if (signature is not null)
            {
                request.Headers.Add("Stripe-Signature", signature);
            }

            var (status, type, _) = await ProblemAsync(await anonymous.SendAsync(request));
            Assert.True(status == 400, $"{name}: {status}");
            Assert.Equal("https://piramid.dev/problems/invalid-request", type);
        }

        Assert.Equal("none", await StatusAsync(platform, tenantId));
        await using var scope = platform.ControlPlane.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        Assert.Equal(attempts.Length, (await RefusedWebhooksAsync(platform)).Refusals);
        Assert.Equal(0, await db.StripeEventReceipts.CountAsync());
    }

    [Fact]
    public async Task PastDueBeyondGrace_WritesAnswer402_ReadsGoOn_AndAPaidInvoiceLiftsItWithinSeconds()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var platform = await StartAsync(postgres, stripe);
        // Free: no grace. Standard: a day of grace.
        var (lateId, lateKey) = await platform.TenantWithKeyAsync("late");
        var (graceId, graceKey) = await platform.TenantWithKeyAsync("in-grace", plan: "standard");
        using var late = platform.Client(lateKey);
        using var grace = platform.Client(graceKey);
        await WaitRoutedAsync(late);
        await WaitRoutedAsync(grace);
        foreach (var http in new[] { late, grace })
        {
            (await http.PutAsJsonAsync("/v1/collections/docs", new { dimension = 2 })).EnsureSuccessStatusCode();
        }

        await Sender(platform).RunOnceAsync(CancellationToken.None);
        using var anonymous = platform.Client(null);
        var customers = stripe.Customers.ToDictionary(c => c["metadata"]!["tenant_id"]!.GetValue<string>(), c => c["id"]!.GetValue<string>());
        var failedAt = DateTimeOffset.UtcNow.AddSeconds(-1);
        Assert.Equal("applied", await DeliverAsync(anonymous, Invoice("evt_late_failed", "invoice.payment_failed", customers[lateId], failedAt)));
        Assert.Equal("applied", await DeliverAsync(anonymous, Invoice("evt_grace_failed", "invoice.payment_failed", customers[graceId], failedAt)));

        // The gateway hears of it through the change feed.
        var refused = await UntilAsync(async () =>
        {
            var response = await Upsert(late);
            return response.StatusCode == HttpStatusCode.PaymentRequired ? response : null;
        });
        Assert.Equal("write=0", refused.Headers.GetValues("Piramid-Units").Single()); // a refusal costs nothing, and says so
        Assert.Equal("https://piramid.dev/problems/payment-required", (await ProblemAsync(refused)).Type);
        Assert.Equal(HttpStatusCode.OK, (await late.PostAsJsonAsync("/v1/collections/docs/count", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Upsert(grace)).StatusCode); // past due, still within its grace

        var paidAt = DateTimeOffset.UtcNow;
        Assert.Equal("applied", await DeliverAsync(anonymous, Invoice("evt_late_paid", "invoice.paid", customers[lateId], paidAt)));
        var started = DateTime.UtcNow;
        using var accepted = await UntilAsync(async () =>
        {
            var response = await Upsert(late);
            return response.StatusCode == HttpStatusCode.OK ? response : null;
        });
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "lifted within seconds");
    }

    [Fact]
    public async Task StorageGbHours_AgreeWithTheBytesOnDisk_Within5Percent()
    {
        await using var platform = await PlatformHost.StartAsync(postgres, controlPlaneSettings: new Dictionary<string, string?>
        {
            ["Billing:StorageSampleInterval"] = "01:00:00",
            ["Billing:MaxSampleGap"] = "01:00:00",
        });
        var (tenantId, key) = await platform.TenantWithKeyAsync("stored");
        using var http = platform.Client(key);
        await WaitRoutedAsync(http);
        (await http.PutAsJsonAsync("/v1/collections/docs", new { dimension = 64 })).EnsureSuccessStatusCode();
        var random = new Random(7);
        for (var batch = 0; batch < 5; batch++)
        {
            var points = new JsonArray([.. Enumerable.Range(0, 1000).Select(i => (JsonNode)new JsonObject
            {
                ["id"] = $"p{batch}-{i}",
                ["vector"] = new JsonArray([.. Enumerable.Range(0, 64).Select(_ => (JsonNode)(random.NextSingle() - 0.5f))]),
                ["metadata"] = new JsonObject { ["text"] = new string('m', 200) },
            })]);
            (await http.PostAsJsonAsync("/v1/collections/docs/points", new JsonObject { ["points"] = points })).EnsureSuccessStatusCode();
        }

        var sampler = platform.ControlPlane.App.Services.GetRequiredService<StorageSampler>();
        await sampler.SampleAllAsync(CancellationToken.None);
        var first = await SampleAsync(platform, tenantId);
        var onDisk = BytesOnDisk(platform, tenantId);
        Assert.True(onDisk > 1_000_000, $"{onDisk} bytes on disk");
        await Task.Delay(1500); // time to measure, not a synchronization
        await sampler.SampleAllAsync(CancellationToken.None);
        var second = await SampleAsync(platform, tenantId);

        var hours = (second.SampledAt - first.SampledAt).TotalHours;
        var expectedGbHours = onDisk / 1e9 * hours;
        using var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator);
        var usage = await admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{tenantId}/usage");
        var gbHours = usage!["storage_gb_hours"]!.GetValue<double>();
        Assert.InRange(gbHours, expectedGbHours * 0.95, expectedGbHours * 1.05);
        Assert.Equal(gbHours, usage["days"]!.AsArray().Sum(d => d!["storage_gb_hours"]!.GetValue<double>()), 12);

        // Without Stripe settings: metering and estimates only, and the control plane says so.
        var billing = await BillingAsync(platform, tenantId);
        Assert.False(billing["stripe_enabled"]!.GetValue<bool>());
        Assert.Empty(billing["invoices"]!.AsArray());
        Assert.Equal(gbHours, billing["period"]!["storage_gb_hours"]!.GetValue<double>(), 12);
        Assert.Contains("Billing without Stripe: metering and estimates only", platform.ControlPlane.Logs.Text, StringComparison.Ordinal);
        using var checkout = await admin.PostAsync(new Uri($"/v1/tenants/{tenantId}/billing/checkout", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.NotFound, checkout.StatusCode);
    }

    // A collection, a write and some reads: both kinds of units.
    private static async Task UseAsync(HttpClient http, int reads)
    {
        (await http.PutAsJsonAsync("/v1/collections/docs", new { dimension = 2 })).EnsureSuccessStatusCode();
        (await Upsert(http)).EnsureSuccessStatusCode();
        for (var i = 0; i < reads; i++)
        {
            (await http.PostAsJsonAsync("/v1/collections/docs/count", new { })).EnsureSuccessStatusCode();
        }
    }

    private static Task<HttpResponseMessage> Upsert(HttpClient http) =>
        http.PostAsJsonAsync("/v1/collections/docs/points", new { points = new[] { new { id = "a", vector = new[] { 1f, 2f } } } });

    // What Stripe holds per meter equals the tenant's usage, whatever was resent.
    private static async Task AssertStripeHasUsageAsync(PlatformHost platform, FakeStripe stripe, string tenantId, string customer)
    {
        using var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator);
        var usage = await admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{tenantId}/usage");
        long Sent(string name) => stripe.MeterEvents.Where(e => e.CustomerId == customer && e.EventName == name).Sum(e => e.Value);
        Assert.True(usage!["read_units"]!.GetValue<long>() > 0);
        Assert.Equal(usage["read_units"]!.GetValue<long>(), Sent("piramid_read_units"));
        Assert.Equal(usage["write_units"]!.GetValue<long>(), Sent("piramid_write_units"));
    }

    private static string Invoice(string eventId, string type, string customer, DateTimeOffset created) =>
        FakeStripe.EventJson(eventId, type, created, new JsonObject
        {
            ["id"] = "in_" + eventId,
            ["object"] = "invoice",
            ["customer"] = customer,
            ["status"] = type == "invoice.paid" ? "paid" : "open",
            ["amount_due"] = 500,
            ["currency"] = "usd",
        });

    private static async Task<string> StatusAsync(PlatformHost platform, string tenantId)
    {
        return (await BillingAsync(platform, tenantId))["payment_status"]!.GetValue<string>();
    }

    private static async Task<JsonObject> BillingAsync(PlatformHost platform, string tenantId)
    {
        using var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator);
        using var response = await admin.GetAsync(new Uri($"/v1/tenants/{tenantId}/billing", UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{string.Join('\n', platform.ControlPlane.Logs.Text.Split('\n').Where(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.Contains("Exception", StringComparison.Ordinal)).TakeLast(20))}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    // Polls a condition (a change crossing the change feed) for up to 10 seconds.
    private static async Task<HttpResponseMessage> UntilAsync(Func<Task<HttpResponseMessage?>> attempt)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (await attempt() is { } done)
            {
                return done;
            }

            Assert.True(DateTime.UtcNow < deadline, "the condition did not come within 10 s");
            await Task.Delay(50);
        }
    }

    private static async Task<Piramid.ControlPlane.Data.Entities.StorageSample> SampleAsync(PlatformHost platform, string tenantId)
    {
        await using var scope = platform.ControlPlane.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        return await db.StorageSamples.AsNoTracking().SingleAsync(s => s.TenantId == tenantId);
    }

    // The files of the tenant's collections, as the file system counts them.
    private static long BytesOnDisk(PlatformHost platform, string tenantId)
    {
        var orchestrator = (Piramid.ControlPlane.Orchestration.LocalProcessOrchestrator)platform.ControlPlane.App.Services
            .GetRequiredService<Piramid.ControlPlane.Orchestration.IEngineOrchestrator>();
        var data = orchestrator.DataDirectoryOf(tenantId);
        return Directory.EnumerateDirectories(data).SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories)).Sum(f => new FileInfo(f).Length);
    }
}
