using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Piramid.TestKit.Stripe;

/// <summary>
/// A small fake of the Stripe endpoints the control plane uses, on loopback (a free port), answering with Stripe's
/// documented JSON shapes: customers, subscriptions, billing meter events (an identifier seen within
/// <see cref="DedupWindow"/> is accepted and not counted again; after it, it counts anew: Stripe documents uniqueness
/// "within a rolling period of at least 24 hours" and no error for a duplicate, docs/design/billing.md),
/// Checkout and Customer Portal sessions, and invoices. POSTs honour <c>Idempotency-Key</c> (a repeated key gets the
/// first answer; meter events' keys expire after <see cref="DedupWindow"/>, as Stripe prunes keys after 24 hours). It computes invoices from the meter events it received with graduated prices (<see cref="MeterPrice"/>),
/// and signs webhooks the way Stripe does (<see cref="Sign"/>).
/// </summary>
public sealed class FakeStripe : IAsyncDisposable
{
    /// <summary>API version the SDK expects on events.</summary>
    public const string ApiVersion = "2026-10-28.endive";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (int Status, string Body)> _idempotent = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject> _customers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject> _subscriptions = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<MeterEvent> _meterEvents = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _identifiersSeen = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _meterKeysSeen = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private readonly ConcurrentQueue<JsonObject> _invoices = new();
    private readonly object _gate = new();
    private int _ids;
    private int _abortMeterEvents;
    private int _abortSubscriptionUpdates;
    private int _subscriptionUpdates;

    private FakeStripe(WebApplication app, Uri baseAddress, TimeProvider clock)
    {
        _app = app;
        BaseAddress = baseAddress;
        _clock = clock;
    }

    /// <summary>How long Stripe keeps a meter event's identifier (and an idempotency key): 24 hours.</summary>
    public static TimeSpan DedupWindow { get; } = TimeSpan.FromHours(24);

    /// <summary>How many subscription updates changed a subscription (an idempotent replay does not count).</summary>
    public int SubscriptionUpdates => Volatile.Read(ref _subscriptionUpdates);

    /// <summary>The next <paramref name="count"/> subscription updates are applied and their connection dropped without an answer.</summary>
    public void AbortAfterApplyingSubscriptionUpdates(int count) => Volatile.Write(ref _abortSubscriptionUpdates, count);

    /// <summary>http://127.0.0.1:port.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Every meter event counted (a duplicate identifier within the window is not).</summary>
    public IReadOnlyCollection<MeterEvent> MeterEvents => [.. _meterEvents];

    /// <summary>How many meter event requests arrived in all (resends included).</summary>
    public int MeterEventRequests => Volatile.Read(ref _meterEventRequests);

    private int _meterEventRequests;

    /// <summary>Customers created.</summary>
    public IReadOnlyCollection<JsonObject> Customers => [.. _customers.Values];

    /// <summary>Subscriptions, current state.</summary>
    public IReadOnlyCollection<JsonObject> Subscriptions => [.. _subscriptions.Values];

    /// <summary>
    /// The next <paramref name="count"/> meter events are recorded and then their connection is dropped without an
    /// answer: what a sender sees when it crashes or times out after Stripe got the event.
    /// </summary>
    public void AbortAfterRecordingMeterEvents(int count) => Volatile.Write(ref _abortMeterEvents, count);

    /// <summary>Starts the fake.</summary>
    /// <param name="clock">Its time, for the deduplication window (the system clock by default).</param>
    public static async Task<FakeStripe> StartAsync(TimeProvider? clock = null)
    {
        var url = $"http://127.0.0.1:{LoopbackPort.GetFree()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeStripe(app, new Uri(url), clock ?? TimeProvider.System);
        fake.Map(app);
        await app.StartAsync();
        return fake;
    }

    /// <summary>
    /// The amount, in minor units, Stripe would invoice a customer for the meter events it got under
    /// <paramref name="prices"/> (graduated: the first <c>UpTo</c> free, then each unit at <c>UnitAmountDecimal</c>,
    /// each line rounded), plus <paramref name="fixedMinor"/>.
    /// </summary>
    public long InvoiceAmount(string customerId, IReadOnlyDictionary<string, MeterPrice> prices, long fixedMinor = 0)
    {
        ArgumentNullException.ThrowIfNull(prices);
        var total = fixedMinor;
        foreach (var (eventName, price) in prices)
        {
            var quantity = _meterEvents.Where(e => e.CustomerId == customerId && e.EventName == eventName).Sum(e => e.Value);
            total += (long)decimal.Round(Math.Max(0, quantity - price.FreeUpTo) * price.UnitAmountDecimal, 0, MidpointRounding.AwayFromZero);
        }

        return total;
    }

    /// <summary>Adds an invoice to a customer's list (what <c>GET /v1/invoices</c> answers).</summary>
    public JsonObject AddInvoice(string customerId, long amountDue, string currency, string status, DateTimeOffset periodStart, DateTimeOffset periodEnd)
    {
        var id = NewId("in");
        var invoice = new JsonObject
        {
            ["id"] = id,
            ["object"] = "invoice",
            ["customer"] = customerId,
            ["number"] = $"PIR-{_invoices.Count + 1:D4}",
            ["amount_due"] = amountDue,
            ["amount_paid"] = status == "paid" ? amountDue : 0,
            ["amount_remaining"] = status == "paid" ? 0 : amountDue,
            ["currency"] = currency,
            ["status"] = status,
            ["period_start"] = periodStart.ToUnixTimeSeconds(),
            ["period_end"] = periodEnd.ToUnixTimeSeconds(),
            ["created"] = periodEnd.ToUnixTimeSeconds(),
            ["hosted_invoice_url"] = $"https://invoice.stripe.com/i/{id}",
            ["livemode"] = false,
        };
        _invoices.Enqueue(invoice);
        return invoice;
    }

    /// <summary>An event as Stripe sends it to a webhook endpoint.</summary>
    public static string EventJson(string id, string type, DateTimeOffset created, JsonObject dataObject) => new JsonObject
    {
        ["id"] = id,
        ["object"] = "event",
        ["api_version"] = ApiVersion,
        ["created"] = created.ToUnixTimeSeconds(),
        ["data"] = new JsonObject { ["object"] = dataObject },
        ["livemode"] = false,
        ["pending_webhooks"] = 1,
        ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
        ["type"] = type,
    }.ToJsonString();

    /// <summary>The <c>Stripe-Signature</c> header of <paramref name="payload"/>: <c>t=...,v1=HMAC-SHA256(secret, "t.payload")</c>.</summary>
    public static string Sign(string payload, string secret, DateTimeOffset timestamp)
    {
        var t = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{payload}"));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Map(WebApplication app)
    {
        app.MapPost("/v1/customers", context => Idempotent(context, form => Json(Store(_customers, new JsonObject
        {
            ["id"] = NewId("cus"),
            ["object"] = "customer",
            ["created"] = Now(),
            ["name"] = form.TryGetValue("name", out var name) ? name.ToString() : null,
            ["metadata"] = Metadata(form),
            ["livemode"] = false,
        }))));
        app.MapGet("/v1/customers/{id}", (string id) => Find(_customers, id));
        app.MapPost("/v1/subscriptions", context => Idempotent(context, form =>
        {
            var subscription = new JsonObject
            {
                ["id"] = NewId("sub"),
                ["object"] = "subscription",
                ["customer"] = form["customer"].ToString(),
                ["status"] = "active",
                ["created"] = Now(),
                ["metadata"] = Metadata(form),
                ["items"] = ItemList([.. Indexed(form, "items").Select(i => i.GetValueOrDefault("price")).OfType<string>()]),
                ["livemode"] = false,
            };
            return Json(Store(_subscriptions, subscription));
        }));
        app.MapGet("/v1/subscriptions/{id}", (string id) => Find(_subscriptions, id));
        app.MapPost("/v1/subscriptions/{id}", (HttpContext context, string id) => Idempotent(context, form =>
        {
            Interlocked.Increment(ref _subscriptionUpdates);
            if (!_subscriptions.TryGetValue(id, out var subscription))
            {
                return Error(404, "resource_missing", $"No such subscription: '{id}'");
            }

            lock (_gate)
            {
                var items = ((JsonArray)subscription["items"]!["data"]!).Select(i => i!.DeepClone().AsObject()).ToList();
                foreach (var change in Indexed(form, "items"))
                {
                    if (change.GetValueOrDefault("deleted") == "true")
                    {
                        items.RemoveAll(i => (string?)i["id"] == change.GetValueOrDefault("id"));
                    }
                    else if (change.GetValueOrDefault("price") is { } price)
                    {
                        items.Add(Item(price));
                    }
                }

                subscription["items"] = new JsonObject { ["object"] = "list", ["data"] = new JsonArray([.. items]), ["has_more"] = false, ["url"] = "/v1/subscription_items" };
                foreach (var (key, value) in Metadata(form))
                {
                    subscription["metadata"]![key] = value?.DeepClone();
                }

                return Json(subscription);
            }
        }, abort: () => TakeOne(ref _abortSubscriptionUpdates)));
        app.MapPost("/v1/billing/meter_events", MeterEventAsync);
        app.MapPost("/v1/checkout/sessions", context => Idempotent(context, form =>
        {
            var id = NewId("cs");
            return Json(new JsonObject
            {
                ["id"] = id,
                ["object"] = "checkout.session",
                ["customer"] = form["customer"].ToString(),
                ["mode"] = form["mode"].ToString(),
                ["success_url"] = form["success_url"].ToString(),
                ["url"] = $"https://checkout.stripe.com/c/pay/{id}",
                ["livemode"] = false,
            });
        }));
        app.MapPost("/v1/billing_portal/sessions", context => Idempotent(context, form =>
        {
            var id = NewId("bps");
            return Json(new JsonObject
            {
                ["id"] = id,
                ["object"] = "billing_portal.session",
                ["customer"] = form["customer"].ToString(),
                ["return_url"] = form["return_url"].ToString(),
                ["url"] = $"https://billing.stripe.com/p/session/{id}",
                ["livemode"] = false,
            });
        }));
        app.MapGet("/v1/invoices", (string? customer, int? limit) =>
        {
            var data = _invoices.Where(i => customer is null || (string?)i["customer"] == customer).Reverse().Take(limit ?? 10).Select(i => (JsonNode)i.DeepClone()).ToArray();
            return Results.Content(new JsonObject { ["object"] = "list", ["data"] = new JsonArray(data), ["has_more"] = false, ["url"] = "/v1/invoices" }.ToJsonString(), "application/json");
        });
    }

    private async Task MeterEventAsync(HttpContext context)
    {
        Interlocked.Increment(ref _meterEventRequests);
        var form = await context.Request.ReadFormAsync();
        var identifier = form["identifier"].ToString();
        var key = context.Request.Headers["Idempotency-Key"].ToString();
        var now = _clock.GetUtcNow();
        if (key.Length > 0 && _idempotent.TryGetValue(key, out var earlier) && now - _meterKeysSeen.GetValueOrDefault(key) < DedupWindow)
        {
            await Write(context, earlier);
            return;
        }

        var meterEvent = new MeterEvent(form["event_name"].ToString(), identifier, form["payload[stripe_customer_id]"].ToString(),
            long.Parse(form["payload[value]"].ToString(), CultureInfo.InvariantCulture), long.Parse(form["timestamp"].ToString(), CultureInfo.InvariantCulture));
        lock (_gate)
        {
            // Within the window a known identifier is accepted and not counted again; after it, it counts anew.
            if (!_identifiersSeen.TryGetValue(identifier, out var seen) || now - seen >= DedupWindow)
            {
                _identifiersSeen[identifier] = now;
                _meterEvents.Enqueue(meterEvent);
            }
        }

        (int, string) answer = Json(new JsonObject
        {
            ["object"] = "billing.meter_event",
            ["created"] = now.ToUnixTimeSeconds(),
            ["event_name"] = meterEvent.EventName,
            ["identifier"] = identifier,
            ["livemode"] = false,
            ["payload"] = new JsonObject { ["stripe_customer_id"] = meterEvent.CustomerId, ["value"] = meterEvent.Value.ToString(CultureInfo.InvariantCulture) },
            ["timestamp"] = meterEvent.Timestamp,
        });
        if (key.Length > 0)
        {
            _idempotent[key] = answer;
            _meterKeysSeen[key] = now;
        }

        if (TakeOne(ref _abortMeterEvents))
        {
            // Recorded, but the sender never hears of it.
            context.Abort();
            return;
        }

        await Write(context, answer);
    }

    private async Task Idempotent(HttpContext context, Func<IFormCollection, (int Status, string Body)> handle, Func<bool>? abort = null)
    {
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync() : FormCollection.Empty;
        var key = context.Request.Headers["Idempotency-Key"].ToString();
        var replay = key.Length > 0 && _idempotent.ContainsKey(key);
        var answer = key.Length > 0 ? _idempotent.GetOrAdd(key, _ => handle(form)) : handle(form);
        if (!replay && abort?.Invoke() == true)
        {
            // Applied, but the caller never hears of it.
            context.Abort();
            return;
        }

        await Write(context, answer);
    }

    // Takes one of the counted aborts, if any are left.
    private static bool TakeOne(ref int counter)
    {
        if (Interlocked.Decrement(ref counter) >= 0)
        {
            return true;
        }

        Interlocked.Exchange(ref counter, 0);
        return false;
    }

    private static async Task Write(HttpContext context, (int Status, string Body) answer)
    {
        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.Body);
    }

    private static IResult Find(ConcurrentDictionary<string, JsonObject> store, string id) =>
        store.TryGetValue(id, out var found)
            ? Results.Content(found.ToJsonString(), "application/json")
            : Results.Content(Error(404, "resource_missing", $"No such object: '{id}'").Body, "application/json", statusCode: 404);

    private static JsonObject Store(ConcurrentDictionary<string, JsonObject> store, JsonObject value)
    {
        store[(string)value["id"]!] = value;
        return value;
    }

    private JsonObject ItemList(IReadOnlyList<string> prices) => new()
    {
        ["object"] = "list",
        ["data"] = new JsonArray([.. prices.Select(p => (JsonNode)Item(p))]),
        ["has_more"] = false,
        ["url"] = "/v1/subscription_items",
    };

    private JsonObject Item(string price) => new()
    {
        ["id"] = NewId("si"),
        ["object"] = "subscription_item",
        ["price"] = new JsonObject { ["id"] = price, ["object"] = "price" },
        ["created"] = Now(),
    };

    // Stripe's form encoding of lists: items[0][price]=..., items[1][id]=...&items[1][deleted]=true.
    private static List<Dictionary<string, string>> Indexed(IFormCollection form, string name)
    {
        var entries = new SortedDictionary<int, Dictionary<string, string>>();
        foreach (var (key, value) in form)
        {
            if (key.StartsWith(name + "[", StringComparison.Ordinal) && key.Split('[', ']') is [_, var index, _, var field, _]
                && int.TryParse(index, CultureInfo.InvariantCulture, out var i))
            {
                (entries.TryGetValue(i, out var entry) ? entry : entries[i] = new(StringComparer.Ordinal))[field] = value.ToString();
            }
        }

        return [.. entries.Values];
    }

    private static JsonObject Metadata(IFormCollection form)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in form.Where(f => f.Key.StartsWith("metadata[", StringComparison.Ordinal)))
        {
            metadata[key["metadata[".Length..^1]] = value.ToString();
        }

        return metadata;
    }

    private static (int, string) Json(JsonObject body) => (200, body.ToJsonString());

    private static (int Status, string Body) Error(int status, string code, string message) =>
        (status, new JsonObject { ["error"] = new JsonObject { ["type"] = "invalid_request_error", ["code"] = code, ["message"] = message } }.ToJsonString());

    private string NewId(string prefix) => $"{prefix}_fake{Interlocked.Increment(ref _ids):D8}";

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
