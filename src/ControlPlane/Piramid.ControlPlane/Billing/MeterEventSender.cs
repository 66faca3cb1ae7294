using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Stripe;

namespace Piramid.ControlPlane.Billing;

/// <summary>
/// Each <see cref="BillingOptions.MeterInterval"/>: makes sure every active tenant has its customer and subscription,
/// writes what each tenant's day totals grew by since the last meter event as new rows of <c>meter_events</c> (one
/// transaction), then sends the unsent rows to Stripe and marks each sent once Stripe answered. A row is written
/// before it is sent and keeps its identifier, so a crash or a timeout between sending and marking sends the same
/// identifier again, which Stripe counts once within its deduplication window (<see cref="BillingOptions.MeterDedupWindow"/>;
/// beyond it the event is not resent but marked unconfirmed, docs/design/billing.md).
/// </summary>
public sealed partial class MeterEventSender(
    IServiceScopeFactory scopes, StripeGateway stripe, IOptions<BillingOptions> options, TimeProvider time, ILogger<MeterEventSender> logger)
    : BackgroundService
{
    /// <summary>Days back that usage is still sent (Stripe accepts meter events up to 35 days old).</summary>
    public const int DaysBack = 30;

    private readonly SemaphoreSlim _running = new(1, 1);

    /// <summary>One round now (the timer calls it; tests too). Returns how many events were sent.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await _running.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
            await EnsureAccountsAsync(db, scope.ServiceProvider.GetRequiredService<BillingAccounts>(), ct);
            await WriteEventsAsync(db, ct);
            return await SendEventsAsync(db, ct);
        }
        finally
        {
            _running.Release();
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _running.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.MeterInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // Stripe or the database failed (an outage, a timeout): what was not marked sent is sent next round.
                    LogRoundFailed(logger, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: unsent rows are sent by the next start.
        }
    }

    private static async Task EnsureAccountsAsync(ControlPlaneDbContext db, BillingAccounts accounts, CancellationToken ct)
    {
        var tenants = await db.Tenants
            .Where(t => t.Status == TenantStatus.Active)
            .Where(t => !db.BillingAccounts.Any(a => a.TenantId == t.Id && a.CustomerId != null && a.SubscribedPlanId == t.PlanId))
            .ToListAsync(ct);
        foreach (var tenant in tenants)
        {
            await accounts.EnsureAsync(tenant, ct);
        }
    }

    // New rows from the growth of each day's totals; the unique (tenant, day, meter, total) makes a concurrent
    // round's identical row a no-op.
    private async Task WriteEventsAsync(ControlPlaneDbContext db, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var since = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-DaysBack);
        var days = await db.UsageRecords.AsNoTracking()
            .Where(u => u.Day >= since && db.BillingAccounts.Any(a => a.TenantId == u.TenantId && a.CustomerId != null))
            .ToListAsync(ct);
        var sent = await db.MeterEvents.AsNoTracking()
            .Where(e => e.Day >= since)
            .GroupBy(e => new { e.TenantId, e.Day, e.Meter })
            .Select(g => new { g.Key.TenantId, g.Key.Day, g.Key.Meter, Total = g.Max(e => e.Total) })
            .ToDictionaryAsync(g => (g.TenantId, g.Day, g.Meter), g => g.Total, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var day in days)
        {
            foreach (var (meter, total) in new[] { (Meters.ReadUnits, day.ReadUnits), (Meters.WriteUnits, day.WriteUnits), (Meters.StorageMbHours, Pricing.MbHours(day.StorageByteSeconds)) })
            {
                var before = sent.GetValueOrDefault((day.TenantId, day.Day, meter));
                if (total > before)
                {
                    var identifier = IdentifierOf(day.TenantId, day.Day, meter, total);
                    await db.Database.ExecuteSqlInterpolatedAsync(
                        $"""
                        INSERT INTO meter_events (identifier, tenant_id, day, meter, value, total, created_at)
                        VALUES ({identifier}, {day.TenantId}, {day.Day}, {meter}, {total - before}, {total}, {now})
                        ON CONFLICT DO NOTHING
                        """, ct);
                }
            }
        }

        await transaction.CommitAsync(ct);
    }

    private async Task<int> SendEventsAsync(ControlPlaneDbContext db, CancellationToken ct)
    {
        var unsent = await db.MeterEvents.Where(e => e.SentAt == null).OrderBy(e => e.CreatedAt).ThenBy(e => e.Identifier).Take(1000).ToListAsync(ct);
        var customers = await db.BillingAccounts.Where(a => a.CustomerId != null).ToDictionaryAsync(a => a.TenantId, a => a.CustomerId!, ct);
        var sentCount = 0;
        var window = options.Value.MeterDedupWindow;
        foreach (var record in unsent)
        {
            if (!customers.TryGetValue(record.TenantId, out var customer))
            {
                continue;
            }

            var now = time.GetUtcNow();
            if (record.FirstSentAt is { } first && now - first > window)
            {
                // Its answer was lost longer ago than Stripe deduplicates: a resend could count it twice.
                record.SentAt = now;
                record.Unconfirmed = true;
                await db.SaveChangesAsync(ct);
                LogUnconfirmed(logger, record.Identifier, record.Value, first);
                continue;
            }

            // Saved before the request: a crash during it leaves the time the window is counted from.
            var firstAttempt = record.FirstSentAt is null;
            record.FirstSentAt ??= now;
            await db.SaveChangesAsync(ct);
            try
            {
                await stripe.SendMeterEventAsync(EventNameOf(record.Meter), record.Identifier, customer, record.Value, record.CreatedAt, ct);
            }
            catch (StripeException e) when (e.StripeError?.Code == "resource_already_exists")
            {
                // Not documented for meter events, but if Stripe refuses the known identifier, it has it once.
            }
            catch (Exception e) when (firstAttempt && NeverReachedStripe(e))
            {
                // Stripe did not take it (no connection, or a refusal): the window starts at the next real attempt.
                record.FirstSentAt = null;
                await db.SaveChangesAsync(CancellationToken.None);
                throw;
            }

            record.SentAt = time.GetUtcNow();
            await db.SaveChangesAsync(ct);
            sentCount++;
        }

        return sentCount;
    }

    // A connection that was never made, or a 4xx answer: either way Stripe did not record the event.
    private static bool NeverReachedStripe(Exception e) =>
        e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }
        || e.InnerException is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }
        || e is StripeException { HttpStatusCode: >= System.Net.HttpStatusCode.BadRequest and < System.Net.HttpStatusCode.InternalServerError };

    /// <summary>The identifier of the event that brings a tenant's day of <paramref name="meter"/> to <paramref name="total"/>.</summary>
    public static string IdentifierOf(string tenantId, DateOnly day, string meter, long total) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{tenantId}-{day:yyyyMMdd}-{meter}-{total}");

    private string EventNameOf(string meter) => meter switch
    {
        Meters.ReadUnits => options.Value.Stripe.ReadMeterEvent,
        Meters.WriteUnits => options.Value.Stripe.WriteMeterEvent,
        _ => options.Value.Stripe.StorageMeterEvent,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meter event {Identifier} (value {Value}) unconfirmed: first sent at {FirstSentAt:o}, its answer lost, and Stripe's deduplication window is over; not resent. Check it against Stripe's meter event summaries")]
    private static partial void LogUnconfirmed(ILogger logger, string identifier, long value, DateTimeOffset firstSentAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meter round stopped, the rest is sent by the next one: {Reason}")]
    private static partial void LogRoundFailed(ILogger logger, string reason);
}
