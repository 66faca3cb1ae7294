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
/// Unsigned, forged and stale deliveries are refused with 400 and audited, counted per reason (<see cref="WebhookRefusals"/>).
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
        HttpContext context, IOptions<BillingOptions> options, ControlPlaneDbContext db, AuditTrail audit, TenantService tenants, WebhookRefusals refusals,
        TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
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
            CheckShape(stripeEvent);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever fails in reading or verifying the body (a bad signature, JSON, a value out of range) is the sender's.
            refusals.Add(e.Message, context.TraceIdentifier);
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

        // The event's receipt, the account and the tenant's new status or plan commit together: a failure before the
        // commit leaves no receipt, so Stripe's retry applies the event again; none after it can lose the change.
        var outcome = await ApplyAsync(stripeEvent, db, audit, tenants, options.Value, time, loggers, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        // After the commit: stopping an engine or applying a plan to it must not hold the transaction open.
        if (outcome.Suspend is { } tenantId)
        {
            await tenants.SuspendAsync(tenantId, ct);
        }
        else if (outcome.PlanChange is { } change)
        {
            await tenants.ApplyPlanAsync(change.TenantId, change.Plan, ct);
        }

        return TypedResults.Ok(new WebhookOutcome { Result = outcome.Result });
    }

    private static async Task<Outcome> ApplyAsync(
        Event stripeEvent, ControlPlaneDbContext db, AuditTrail audit, TenantService tenants, BillingOptions options, TimeProvider time,
        ILoggerFactory loggers, CancellationToken ct)
    {
        var subscription = stripeEvent.Data?.Object as Subscription;
        var (customerId, status) = stripeEvent.Data?.Object switch
        {
            Invoice invoice when stripeEvent.Type == EventTypes.InvoicePaid => (invoice.CustomerId, PaymentStatuses.Active),
            Invoice invoice when stripeEvent.Type == EventTypes.InvoicePaymentFailed => (invoice.CustomerId, PaymentStatuses.PastDue),
            Subscription deleted when stripeEvent.Type == EventTypes.CustomerSubscriptionDeleted => (deleted.CustomerId, PaymentStatuses.Canceled),
            Subscription updated when stripeEvent.Type == EventTypes.CustomerSubscriptionUpdated => (updated.CustomerId, StatusOf(updated.Status ?? "")),
            _ => (null, null),
        };
        if (customerId is null || status is null)
        {
            return new("ignored");
        }

        var account = await db.BillingAccounts.SingleOrDefaultAsync(a => a.CustomerId == customerId, ct);
        if (account is null)
        {
            return new("unknown_customer");
        }

        var at = new DateTimeOffset(DateTime.SpecifyKind(stripeEvent.Created, DateTimeKind.Utc));
        if (account.StatusChangedAt is { } last && at < last)
        {
            // Delivered out of order: a newer event already set the status.
            return new("stale");
        }

        var before = new PaymentState(account.PaymentStatus, account.PastDueSince, account.CancelAtPeriodEnd, account.SubscribedPlanId);
        account.PaymentStatus = status;
        account.StatusChangedAt = at;
        account.PastDueSince = status == PaymentStatuses.PastDue ? account.PastDueSince ?? at : null;
        PlanChange? planChange = null;
        if (stripeEvent.Type == EventTypes.CustomerSubscriptionUpdated && subscription is not null)
        {
            account.CancelAtPeriodEnd = subscription.CancelAtPeriodEnd;
            // A plan changed in Stripe (the Customer Portal): the plan whose prices the subscription now holds.
            if (PlanOf(subscription, options) is { } planId && planId != account.SubscribedPlanId)
            {
                // A plan unknown to the database (or a deleted tenant) is recorded as subscribed but not applied: the
                // next meter round then moves the subscription back to the tenant's plan.
                account.SubscribedPlanId = planId;
                if (await tenants.RecordPlanAsync(account.TenantId, planId, ct) is { } plan)
                {
                    planChange = new PlanChange(account.TenantId, plan);
                }
                else
                {
                    LogPlanNotApplied(loggers.CreateLogger(typeof(StripeWebhooks)), account.TenantId, planId);
                }
            }
        }

        if (status == PaymentStatuses.Canceled)
        {
            await tenants.RecordSuspensionAsync(account.TenantId, ct);
        }

        audit.Record("billing.payment_status", "tenant", account.TenantId, account.TenantId, before,
            new PaymentState(account.PaymentStatus, account.PastDueSince, account.CancelAtPeriodEnd, account.SubscribedPlanId));
        // The gateway re-reads the tenant's keys (and with them when writes stop) on this change.
        db.ChangeEvents.Add(new ChangeEvent { Kind = ChangeKinds.Tenant, Subject = account.TenantId, Time = time.GetUtcNow() });
        return new("applied", status == PaymentStatuses.Canceled ? account.TenantId : null, planChange);
    }

    // The configured plan whose Stripe prices are exactly the subscription's, if one is (prices, not metadata: a
    // change in the Customer Portal replaces the prices and leaves our metadata as it was).
    private static string? PlanOf(Subscription subscription, BillingOptions options)
    {
        var prices = StripeGateway.PricesOf(subscription);
        return options.Plans.FirstOrDefault(p => p.Value.StripePriceIds.Count > 0
            && prices.SequenceEqual(p.Value.StripePriceIds.Order(StringComparer.Ordinal), StringComparer.Ordinal)).Key;
    }

    // A signed body is still checked: what is stored and compared must be there and fit (a receipt's id and type).
    private static void CheckShape(Event stripeEvent)
    {
        if (string.IsNullOrEmpty(stripeEvent.Id) || stripeEvent.Id.Length > 255)
        {
            throw new StripeException("The event has no 'id', or one longer than 255 characters.");
        }

        if (string.IsNullOrEmpty(stripeEvent.Type) || stripeEvent.Type.Length > 64)
        {
            throw new StripeException("The event has no 'type', or one longer than 64 characters.");
        }

        if (stripeEvent.Data?.Object is null && stripeEvent.Type is EventTypes.InvoicePaid or EventTypes.InvoicePaymentFailed
            or EventTypes.CustomerSubscriptionUpdated or EventTypes.CustomerSubscriptionDeleted)
        {
            throw new StripeException($"The '{stripeEvent.Type}' event carries no 'data.object'.");
        }
    }

    private static string StatusOf(string subscriptionStatus) => subscriptionStatus switch
    {
        "active" or "trialing" => PaymentStatuses.Active,
        "past_due" or "unpaid" => PaymentStatuses.PastDue,
        "canceled" or "incomplete_expired" => PaymentStatuses.Canceled,
        _ => PaymentStatuses.None,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe moved tenant {TenantId} to plan {PlanId}, which is not a plan here or the tenant is deleted: not applied")]
    private static partial void LogPlanNotApplied(ILogger logger, string tenantId, string planId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stripe webhook refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    private sealed record PaymentState(string PaymentStatus, DateTimeOffset? PastDueSince, bool CancelAtPeriodEnd, string? Plan);

    private sealed record PlanChange(string TenantId, Data.Entities.Plan Plan);

    private sealed record Outcome(string Result, string? Suspend = null, PlanChange? PlanChange = null);

}
