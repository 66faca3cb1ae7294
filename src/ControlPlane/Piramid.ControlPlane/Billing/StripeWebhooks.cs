using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Billing;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Auditing;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Tenants;
using Piramid.ServiceDefaults;
using Stripe;

namespace Piramid.ControlPlane.Billing;

/// <summary>
/// <c>POST /webhooks/stripe</c>: verifies the signature with the signing secret (<see cref="EventUtility"/>), then
/// applies each event once: its id is stored with the change in one transaction (a second delivery is acknowledged
/// and ignored), and a payment status set by a newer event is not overwritten by an older one delivered late.
/// Unsigned, forged and stale deliveries are refused with 400 and audited.
/// </summary>
public static partial class StripeWebhooks
{
    /// <summary>Path of the endpoint (the gateway routes it here without authentication).</summary>
    public const string Path = "/webhooks/stripe";

    /// <summary>Largest body accepted (Stripe's events are a few KB).</summary>
    public const int MaxBodyBytes = 1 << 20;

    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapStripeWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, HandleAsync).AllowAnonymous();
        return app;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext context, IOptions<BillingOptions> options, ControlPlaneDbContext db, AuditTrail audit, TenantService tenants, TimeProvider time,
        ILoggerFactory loggers, CancellationToken ct)
    {
        var stripe = options.Value.Stripe;
        if (!options.Value.StripeEnabled)
        {
            return ProblemResults.For(ProblemCatalog.NotFound, "Billing runs without Stripe here: there is no webhook to receive.");
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return ProblemResults.For(ProblemCatalog.PayloadTooLarge, $"A webhook body is at most {MaxBodyBytes} bytes.");
        }

        using var reader = new StreamReader(context.Request.Body);
        var json = await reader.ReadToEndAsync(ct);
        var signature = context.Request.Headers["Stripe-Signature"].ToString();
        Event stripeEvent;
        try
        {
            if (signature.Length == 0)
            {
                throw new StripeException("The request carries no 'Stripe-Signature' header.");
            }

            stripeEvent = EventUtility.ConstructEvent(json, signature, stripe.WebhookSecret, (long)stripe.WebhookTolerance.TotalSeconds,
                time.GetUtcNow().ToUnixTimeSeconds(), throwOnApiVersionMismatch: false);
        }
        catch (StripeException e)
        {
            audit.Record("billing.webhook.refused", "webhook", "stripe", null, null, new WebhookRefusal(e.Message));
            await db.SaveChangesAsync(ct);
            LogRefused(loggers.CreateLogger(typeof(StripeWebhooks)), e.Message);
            return ProblemResults.For(ProblemCatalog.InvalidRequest, $"Webhook refused: {e.Message}");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var first = await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO stripe_event_receipts (id, type, received_at) VALUES ({stripeEvent.Id}, {stripeEvent.Type}, {time.GetUtcNow()}) ON CONFLICT (id) DO NOTHING", ct);
        if (first == 0)
        {
            await transaction.CommitAsync(ct);
            return TypedResults.Ok(new WebhookOutcome { Result = "duplicate" });
        }

        var outcome = await ApplyAsync(stripeEvent, db, audit, time, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        if (outcome.Suspend is { } tenantId)
        {
            // After the commit: suspending stops the engine, which must not hold the event's transaction open.
            await tenants.SuspendAsync(tenantId, ct);
        }

        return TypedResults.Ok(new WebhookOutcome { Result = outcome.Result });
    }

    private static async Task<(string Result, string? Suspend)> ApplyAsync(Event stripeEvent, ControlPlaneDbContext db, AuditTrail audit, TimeProvider time, CancellationToken ct)
    {
        var (customerId, status) = stripeEvent.Data.Object switch
        {
            Invoice invoice when stripeEvent.Type == EventTypes.InvoicePaid => (invoice.CustomerId, PaymentStatuses.Active),
            Invoice invoice when stripeEvent.Type == EventTypes.InvoicePaymentFailed => (invoice.CustomerId, PaymentStatuses.PastDue),
            Subscription subscription when stripeEvent.Type == EventTypes.CustomerSubscriptionDeleted => (subscription.CustomerId, PaymentStatuses.Canceled),
            Subscription subscription when stripeEvent.Type == EventTypes.CustomerSubscriptionUpdated => (subscription.CustomerId, StatusOf(subscription.Status)),
            _ => (null, null),
        };
        if (customerId is null || status is null)
        {
            return ("ignored", null);
        }

        var account = await db.BillingAccounts.SingleOrDefaultAsync(a => a.CustomerId == customerId, ct);
        if (account is null)
        {
            return ("unknown_customer", null);
        }

        var at = new DateTimeOffset(DateTime.SpecifyKind(stripeEvent.Created, DateTimeKind.Utc));
        if (account.StatusChangedAt is { } last && at < last)
        {
            // Delivered out of order: a newer event already set the status.
            return ("stale", null);
        }

        var before = new PaymentState(account.PaymentStatus, account.PastDueSince);
        account.PaymentStatus = status;
        account.StatusChangedAt = at;
        account.PastDueSince = status == PaymentStatuses.PastDue ? account.PastDueSince ?? at : null;
        audit.Record("billing.payment_status", "tenant", account.TenantId, account.TenantId, before, new PaymentState(account.PaymentStatus, account.PastDueSince));
        // The gateway re-reads the tenant's keys (and with them when writes stop) on this change.
        db.ChangeEvents.Add(new ChangeEvent { Kind = ChangeKinds.Tenant, Subject = account.TenantId, Time = time.GetUtcNow() });
        return ("applied", status == PaymentStatuses.Canceled ? account.TenantId : null);
    }

    private static string StatusOf(string subscriptionStatus) => subscriptionStatus switch
    {
        "active" or "trialing" => PaymentStatuses.Active,
        "past_due" or "unpaid" => PaymentStatuses.PastDue,
        "canceled" or "incomplete_expired" => PaymentStatuses.Canceled,
        _ => PaymentStatuses.None,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe webhook refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    private sealed record WebhookRefusal(string Reason);

    private sealed record PaymentState(string PaymentStatus, DateTimeOffset? PastDueSince);

}
