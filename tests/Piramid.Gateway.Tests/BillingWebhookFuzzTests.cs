using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Piramid.ControlPlane.Data;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Platform;
using Piramid.TestKit.Stripe;
using static Piramid.Gateway.Tests.Support.BillingStripe;
using static Piramid.Gateway.Tests.Support.Probe;

namespace Piramid.Gateway.Tests;

/// <summary>Bad input on the billing endpoints: a 4xx problem+json naming the problem, never a 5xx, nothing applied.</summary>
[Collection(GatewayCollection.Name)]
public sealed class BillingWebhookFuzzTests(PostgresFixture postgres)
{
    private const int Cases = 300;

    [Fact]
    public async Task AFloodOfUnsignedAndForgedWebhooks_IsAuditedAsCountsPerReason_NotARowPerRequest()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var platform = await StartAsync(postgres, stripe);
        using var anonymous = platform.Client(null);
        const string payload = """{"id":"evt_flood","object":"event","type":"invoice.paid","data":{"object":{"object":"invoice","customer":"cus_x"}}}""";
        var refused = 0;
        await Parallel.ForAsync(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/stripe") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
            if (i % 2 == 0)
            {
                request.Headers.Add("Stripe-Signature", FakeStripe.Sign(payload, "whsec_someone_else", DateTimeOffset.UtcNow));
            }

            using var response = await anonymous.SendAsync(request, ct);
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.TooManyRequests, $"request {i}: {response.StatusCode}");
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                Interlocked.Increment(ref refused);
            }
        });

        Assert.True(refused > 0);
        var (events, refusals) = await RefusedWebhooksAsync(platform);
        Assert.Equal(refused, refusals); // Every refusal counted...
        Assert.InRange(events, 1, 2); // ...in one event per reason: unsigned, forged.
    }

    [Fact]
    public async Task RandomAndMalformedWebhooks_SignedOrNot_AreAnswered4xxOrIgnored_NeverA5xx_AndChangeNothing()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var platform = await StartAsync(postgres, stripe);
        var (tenantId, _) = await platform.TenantWithKeyAsync("fuzzed");
        await Sender(platform).RunOnceAsync(CancellationToken.None);
        var customer = Assert.Single(stripe.Customers)["id"]!.GetValue<string>();
        using var anonymous = platform.Client(null);
        var random = new Random(1919);
        var accepted = 0;

        for (var i = 0; i < Cases; i++)
        {
            var payload = Payload(random, i, customer);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/stripe") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
            var signed = random.Next(4) != 0;
            request.Headers.TryAddWithoutValidation("Stripe-Signature", signed ? FakeStripe.Sign(payload, Secret, DateTimeOffset.UtcNow) : RandomText(random, random.Next(0, 80)));
            using var response = await anonymous.SendAsync(request);
            var status = (int)response.StatusCode;
            if (status == 200)
            {
                // Only a well-formed, signed event gets here; none of them names the tenant's customer with a status.
                Assert.True(signed, $"case {i}: an unsigned payload was accepted: {payload}");
                var result = (await response.Content.ReadFromJsonAsync<JsonObject>())!["result"]!.GetValue<string>();
                Assert.Contains(result, new[] { "ignored", "unknown_customer" });
                accepted++;
                continue;
            }

            var (problemStatus, type, _) = await ProblemAsync(response);
            Assert.True(problemStatus is >= 400 and < 500, $"case {i}: {problemStatus} for {payload}");
            Assert.Equal("https://piramid.dev/problems/invalid-request", type);
        }

        await using var scope = platform.ControlPlane.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        var account = await db.BillingAccounts.AsNoTracking().SingleAsync(a => a.TenantId == tenantId);
        Assert.Equal("none", account.PaymentStatus);
        Assert.Null(account.StatusChangedAt);
        Assert.Equal(accepted, await db.StripeEventReceipts.CountAsync());
        Assert.Equal(Cases - accepted, (await RefusedWebhooksAsync(platform)).Refusals);
        Assert.Equal(0, await db.AuditEvents.CountAsync(e => e.Action == "billing.payment_status"));
    }

    [Fact]
    public async Task BillingEndpoints_OfAnUnknownTenantOrATooLargeWebhook_Answer4xxProblems()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var platform = await StartAsync(postgres, stripe);
        using var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator);
        foreach (var (method, path) in new[] { (HttpMethod.Get, "billing"), (HttpMethod.Post, "billing/checkout"), (HttpMethod.Post, "billing/portal") })
        {
            using var response = await admin.SendAsync(new HttpRequestMessage(method, $"/v1/tenants/t_nobody/{path}"));
            var (status, type, _) = await ProblemAsync(response);
            Assert.True(status == 404, $"{method} {path}: {status}");
            Assert.Equal("https://piramid.dev/problems/not-found", type);
        }

        using var anonymous = platform.Client(null);
        using var large = await PostSignedAsync(anonymous, "{\"id\":\"" + new string('x', 2 << 20) + "\"}");
        Assert.True((int)large.StatusCode is 413 or 400, $"{(int)large.StatusCode}");
        Assert.NotEqual(HttpStatusCode.OK, large.StatusCode);
    }

    // A payload of one of several kinds: random text, a truncated event, an event with a field of the wrong type or
    // missing, or an event whose data object is not what its type says. None names the tenant's customer with a change.
    private static string Payload(Random random, int i, string customer)
    {
        var valid = FakeStripe.EventJson($"evt_fuzz_{i}", Types[random.Next(Types.Length)], DateTimeOffset.UtcNow.AddSeconds(-random.Next(100)),
            new JsonObject { ["id"] = $"in_fuzz_{i}", ["object"] = "invoice", ["customer"] = "cus_nobody_" + i, ["status"] = "open" });
        switch (random.Next(5))
        {
            case 0:
                return RandomText(random, random.Next(0, 400));
            case 1:
                return valid[..random.Next(valid.Length)];
            case 2:
                {
                    var node = JsonNode.Parse(valid)!.AsObject();
                    var (parent, field) = Field(node, random);
                    parent[field] = RandomValue(random);
                    return node.ToJsonString();
                }

            case 3:
                {
                    var node = JsonNode.Parse(valid)!.AsObject();
                    var (parent, field) = Field(node, random);
                    parent.Remove(field);
                    return node.ToJsonString();
                }

            default:
                {
                    // The tenant's customer, but a data object of another kind: nothing to apply.
                    var node = JsonNode.Parse(valid)!.AsObject();
                    node["type"] = "invoice.paid";
                    node["data"] = new JsonObject { ["object"] = new JsonObject { ["id"] = "cus_x", ["object"] = "customer", ["customer"] = customer } };
                    return node.ToJsonString();
                }
        }
    }

    private static readonly string[] Types = ["invoice.paid", "invoice.payment_failed", "customer.subscription.updated", "customer.subscription.deleted", "charge.refunded", ""];

    private static (JsonObject Parent, string Field) Field(JsonObject root, Random random)
    {
        var data = root["data"]!["object"]!.AsObject();
        string[] top = ["id", "type", "created", "data", "api_version", "livemode", "object"];
        string[] inner = ["customer", "object", "status", "id"];
        return random.Next(2) == 0 ? (root, top[random.Next(top.Length)]) : (data, inner[random.Next(inner.Length)]);
    }

    private static JsonNode? RandomValue(Random random) => random.Next(9) switch
    {
        0 => null,
        1 => JsonValue.Create(random.NextDouble() * 1e30),
        2 => JsonValue.Create(-random.NextInt64()),
        3 => JsonValue.Create(RandomText(random, random.Next(0, 300))),
        4 => new JsonArray(JsonValue.Create(1), JsonValue.Create("x")),
        5 => new JsonObject { ["nested"] = new JsonObject { ["deeper"] = true } },
        6 => JsonValue.Create(true),
        7 => JsonValue.Create(new string('y', 1000)),
        _ => JsonValue.Create(""),
    };

    private static string RandomText(Random random, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = (char)random.Next(32, 127);
        }

        return new string(chars);
    }
}
