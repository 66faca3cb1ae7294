using Microsoft.Extensions.Options;
using Stripe;

namespace Piramid.ControlPlane.Billing;

/// <summary>
/// The Stripe calls billing makes, on one <see cref="StripeClient"/> (its <c>ApiBase</c> and <c>MeterEventsBase</c>
/// from <see cref="StripeOptions"/>, so tests point it at a local fake). Creating calls carry idempotency keys derived
/// from what they create, so a retry after a lost answer creates nothing twice.
/// </summary>
public sealed class StripeGateway : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly StripeClient _client;
    private readonly StripeOptions _options;

    /// <summary>Creates the client.</summary>
    public StripeGateway(IOptions<BillingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value.Stripe;
        _client = new StripeClient(new StripeClientOptions
        {
            ApiKey = _options.ApiKey,
            // The SDK appends "/v1/..." to the base as written: a trailing slash would double it.
            ApiBase = _options.ApiBase?.TrimEnd('/'),
            MeterEventsBase = _options.MeterEventsBase?.TrimEnd('/'),
            // Retries are ours (meter events are re-sent from the database), not the SDK's.
            HttpClient = new SystemNetHttpClient(_http, maxNetworkRetries: 0),
        });
    }

    /// <summary>Creates the customer of a tenant (idempotent per tenant).</summary>
    public async Task<string> CreateCustomerAsync(string tenantId, string tenantName, CancellationToken ct)
    {
        var customer = await new CustomerService(_client).CreateAsync(
            new CustomerCreateOptions { Name = tenantName, Metadata = new() { ["tenant_id"] = tenantId } },
            new RequestOptions { IdempotencyKey = $"piramid-customer-{tenantId}" }, ct);
        return customer.Id;
    }

    /// <summary>Subscribes a customer to a plan's prices (idempotent per tenant and plan).</summary>
    public async Task<string> CreateSubscriptionAsync(string tenantId, string customerId, string planId, IReadOnlyList<string> priceIds, CancellationToken ct)
    {
        var subscription = await new SubscriptionService(_client).CreateAsync(
            new SubscriptionCreateOptions
            {
                Customer = customerId,
                Items = [.. priceIds.Select(p => new SubscriptionItemOptions { Price = p })],
                Metadata = new() { ["tenant_id"] = tenantId, ["plan_id"] = planId },
            },
            new RequestOptions { IdempotencyKey = $"piramid-subscription-{tenantId}-{planId}" }, ct);
        return subscription.Id;
    }

    /// <summary>
    /// Moves a subscription to another plan's prices: the old items go, the new ones come. A retry after a lost answer
    /// finds the subscription already on the plan's prices and changes nothing, so the items are replaced once.
    /// </summary>
    /// <returns>True when it sent the update, false when the subscription was already on the plan.</returns>
    public async Task<bool> UpdateSubscriptionAsync(string subscriptionId, string planId, IReadOnlyList<string> priceIds, CancellationToken ct)
    {
        var service = new SubscriptionService(_client);
        var current = await service.GetAsync(subscriptionId, cancellationToken: ct);
        if (IsOnPlan(current, planId, priceIds))
        {
            return false;
        }

        var items = current.Items.Data.Select(i => new SubscriptionItemOptions { Id = i.Id, Deleted = true }).ToList();
        items.AddRange(priceIds.Select(p => new SubscriptionItemOptions { Price = p }));
        // The key names the state the change applies to: two concurrent rounds seeing the same items send it once.
        var from = string.Join(',', current.Items.Data.Select(i => i.Id).Order(StringComparer.Ordinal));
        var key = $"piramid-subscription-update-{subscriptionId}-{planId}-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(from)))[..16]}";
        await service.UpdateAsync(subscriptionId, new SubscriptionUpdateOptions { Items = items, Metadata = new() { ["plan_id"] = planId } },
            new RequestOptions { IdempotencyKey = key }, ct);
        return true;
    }

    /// <summary>True when the subscription holds exactly <paramref name="priceIds"/> and names <paramref name="planId"/>.</summary>
    public static bool IsOnPlan(Subscription subscription, string planId, IReadOnlyList<string> priceIds)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(priceIds);
        return subscription.Metadata?.GetValueOrDefault("plan_id") == planId
            && PricesOf(subscription).SequenceEqual(priceIds.Order(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    /// <summary>The price ids of the subscription's items, in ordinal order.</summary>
    public static IReadOnlyList<string> PricesOf(Subscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        return subscription.Items?.Data?.Select(i => i.Price?.Id).OfType<string>().Order(StringComparer.Ordinal).ToList() ?? [];
    }

    /// <summary>Sends one meter event; its identifier makes a resend count once.</summary>
    public async Task SendMeterEventAsync(string eventName, string identifier, string customerId, long value, DateTimeOffset timestamp, CancellationToken ct)
    {
        await new Stripe.Billing.MeterEventService(_client).CreateAsync(
            new Stripe.Billing.MeterEventCreateOptions
            {
                EventName = eventName,
                Identifier = identifier,
                Timestamp = timestamp.UtcDateTime,
                Payload = new() { ["stripe_customer_id"] = customerId, ["value"] = value.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            },
            new RequestOptions { IdempotencyKey = identifier }, ct);
    }

    /// <summary>A Checkout session in setup mode, to add a payment method.</summary>
    public async Task<string> CreateCheckoutUrlAsync(string customerId, string currency, CancellationToken ct)
    {
        var session = await new Stripe.Checkout.SessionService(_client).CreateAsync(
            new Stripe.Checkout.SessionCreateOptions
            {
                Customer = customerId,
                Mode = "setup",
                Currency = currency,
                SuccessUrl = _options.ReturnUrl,
                CancelUrl = _options.ReturnUrl,
            },
            cancellationToken: ct);
        return session.Url;
    }

    /// <summary>A Customer Portal session.</summary>
    public async Task<string> CreatePortalUrlAsync(string customerId, CancellationToken ct)
    {
        var session = await new Stripe.BillingPortal.SessionService(_client).CreateAsync(
            new Stripe.BillingPortal.SessionCreateOptions { Customer = customerId, ReturnUrl = _options.ReturnUrl }, cancellationToken: ct);
        return session.Url;
    }

    /// <summary>The customer's latest invoices, newest first.</summary>
    public async Task<IReadOnlyList<Invoice>> ListInvoicesAsync(string customerId, int limit, CancellationToken ct)
    {
        var list = await new InvoiceService(_client).ListAsync(new InvoiceListOptions { Customer = customerId, Limit = limit }, cancellationToken: ct);
        return list.Data;
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
