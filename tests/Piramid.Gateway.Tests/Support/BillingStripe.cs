using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Piramid.ControlPlane.Billing;
using Piramid.ControlPlane.Data;
using Piramid.TestKit.Platform;
using Piramid.TestKit.Stripe;

namespace Piramid.Gateway.Tests.Support;

/// <summary>A platform billing through a <see cref="FakeStripe"/>, and Stripe's side of the conversation: signed webhooks.</summary>
public static class BillingStripe
{
    /// <summary>The webhook signing secret the platform is configured with.</summary>
    public const string Secret = "whsec_piramid_test_secret";

    /// <summary>
    /// A platform whose control plane bills through <paramref name="stripe"/>; the gateway's usage reports and the meter
    /// rounds run only when a test asks (hour-long intervals). Plans: <c>free</c> (two prices, no grace) and
    /// <c>standard</c> (one price, a day of grace).
    /// </summary>
    public static async Task<PlatformHost> StartAsync(
        PostgresFixture postgres, FakeStripe stripe, IDictionary<string, string?>? extra = null, Action<WebApplicationBuilder>? controlPlaneServices = null)
    {
        ArgumentNullException.ThrowIfNull(stripe);
        var settings = new Dictionary<string, string?>
        {
            ["Billing:Stripe:ApiKey"] = "sk_test_piramid",
            ["Billing:Stripe:WebhookSecret"] = Secret,
            ["Billing:Stripe:ApiBase"] = stripe.BaseAddress.ToString(),
            ["Billing:Stripe:MeterEventsBase"] = stripe.BaseAddress.ToString(),
            ["Billing:MeterInterval"] = "01:00:00",
            ["Billing:Plans:free:MonthlyPrice"] = "5",
            ["Billing:Plans:free:IncludedReadUnits"] = "10",
            ["Billing:Plans:free:IncludedWriteUnits"] = "2",
            ["Billing:Plans:free:PricePerMillionReadUnits"] = "33333.33",
            ["Billing:Plans:free:PricePerMillionWriteUnits"] = "125000",
            ["Billing:Plans:free:PricePerGbMonth"] = "0.25",
            ["Billing:Plans:free:PaymentGrace"] = "00:00:00",
            ["Billing:Plans:free:StripePriceIds:0"] = "price_free_base",
            ["Billing:Plans:free:StripePriceIds:1"] = "price_free_reads",
            ["Billing:Plans:standard:PaymentGrace"] = "1.00:00:00",
            ["Billing:Plans:standard:StripePriceIds:0"] = "price_standard",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return await PlatformHost.StartAsync(postgres, gatewaySettings: new Dictionary<string, string?> { ["Gateway:UsageReportInterval"] = "01:00:00" },
            controlPlaneSettings: settings, controlPlaneServices: controlPlaneServices);
    }

    /// <summary>
    /// Audits the refused webhooks counted so far (the round the control plane runs every 10 s), then answers the
    /// <c>billing.webhook.refused</c> events: how many there are, and the refusals they count.
    /// </summary>
    public static async Task<(int Events, long Refusals)> RefusedWebhooksAsync(PlatformHost platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        await platform.ControlPlane.App.Services.GetRequiredService<WebhookRefusals>().FlushAsync(CancellationToken.None);
        await using var scope = platform.ControlPlane.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        var after = await db.AuditEvents.Where(e => e.Action == "billing.webhook.refused").Select(e => e.After!).ToListAsync();
        return (after.Count, after.Sum(a => JsonNode.Parse(a)!["count"]!.GetValue<long>()));
    }

    /// <summary>The control plane's meter event sender (tests run its rounds).</summary>
    public static MeterEventSender Sender(PlatformHost platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        return platform.ControlPlane.App.Services.GetRequiredService<MeterEventSender>();
    }

    /// <summary>Posts <paramref name="payload"/> to <c>/webhooks/stripe</c> through the gateway, signed as Stripe signs (now, with the secret).</summary>
    public static async Task<HttpResponseMessage> PostSignedAsync(HttpClient http, string payload)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/stripe") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.Add("Stripe-Signature", FakeStripe.Sign(payload, Secret, DateTimeOffset.UtcNow));
        return await http.SendAsync(request);
    }

    /// <summary>Delivers a signed event and answers its outcome (<c>applied</c>, <c>duplicate</c>, <c>stale</c>, ...); anything but 200 fails.</summary>
    public static async Task<string> DeliverAsync(HttpClient http, string payload)
    {
        using var response = await PostSignedAsync(http, payload);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!["result"]!.GetValue<string>();
    }

    /// <summary>A subscription as Stripe sends it in <c>customer.subscription.*</c> events.</summary>
    public static JsonObject Subscription(string id, string customer, string status, bool cancelAtPeriodEnd, params string[] prices) => new()
    {
        ["id"] = id,
        ["object"] = "subscription",
        ["customer"] = customer,
        ["status"] = status,
        ["cancel_at_period_end"] = cancelAtPeriodEnd,
        ["items"] = new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray([.. prices.Select((p, i) => (JsonNode)new JsonObject
            {
                ["id"] = $"si_{id}_{i}",
                ["object"] = "subscription_item",
                ["price"] = new JsonObject { ["id"] = p, ["object"] = "price" },
            })]),
            ["has_more"] = false,
            ["url"] = "/v1/subscription_items",
        },
        ["livemode"] = false,
    };
}
