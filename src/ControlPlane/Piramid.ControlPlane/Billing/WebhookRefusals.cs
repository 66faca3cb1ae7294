using Microsoft.Extensions.Options;
using Piramid.ControlPlane.Auditing;
using Piramid.ControlPlane.Data;

namespace Piramid.ControlPlane.Billing;

/// <summary>
/// Refused Stripe webhook deliveries, counted in memory and audited as one <c>billing.webhook.refused</c> event per
/// reason and round (<see cref="BillingOptions.WebhookRefusalFlushInterval"/>), with the count, the first and last
/// times and request ids. Anyone can post to the webhook: a flood must cost a counter, not a chained audit row per
/// request (each takes the platform chain's head lock). At most <see cref="MaxReasons"/> reasons are kept apart.
/// </summary>
public sealed partial class WebhookRefusals(
    IServiceScopeFactory scopes, TimeProvider time, IOptions<BillingOptions> options, ILogger<WebhookRefusals> logger) : BackgroundService
{
    /// <summary>Distinct reasons kept apart in one round; the rest are counted under <see cref="OtherReasons"/>.</summary>
    public const int MaxReasons = 50;

    /// <summary>The reason of refusals beyond <see cref="MaxReasons"/>.</summary>
    public const string OtherReasons = "other reasons";

    private const int MaxReasonLength = 200;

    private readonly Lock _gate = new();
    private Dictionary<string, Tally> _pending = new(StringComparer.Ordinal);

    /// <summary>Counts a refusal.</summary>
    public void Add(string reason, string? requestId)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var now = time.GetUtcNow();
        var key = reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason;
        lock (_gate)
        {
            if (!_pending.ContainsKey(key) && _pending.Count >= MaxReasons)
            {
                key = OtherReasons;
            }

            _pending[key] = _pending.TryGetValue(key, out var tally)
                ? tally with { Count = tally.Count + 1, LastSeen = now, LastRequestId = requestId }
                : new Tally(1, now, now, requestId, requestId);
        }
    }

    /// <summary>Audits what was counted since the last round, one event per reason; kept for the next round if saving fails.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        Dictionary<string, Tally> taken;
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                return;
            }

            taken = _pending;
            _pending = new(StringComparer.Ordinal);
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var audit = scope.ServiceProvider.GetRequiredService<AuditTrail>();
            foreach (var (reason, tally) in taken.OrderBy(t => t.Value.FirstSeen))
            {
                audit.Record("billing.webhook.refused", "webhook", "stripe", null, null,
                    new WebhookRefusal(reason, tally.Count, tally.FirstSeen, tally.LastSeen, tally.FirstRequestId, tally.LastRequestId));
            }

            await scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>().SaveChangesAsync(cancellationToken);
        }
        catch
        {
            Restore(taken);
            throw;
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.WebhookRefusalFlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushQuietlyAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushQuietlyAsync(cancellationToken); // What the last round did not see.
    }

    private async Task FlushQuietlyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await FlushAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFlushFailed(logger, e);
        }
    }

    private void Restore(Dictionary<string, Tally> taken)
    {
        lock (_gate)
        {
            foreach (var (reason, tally) in taken)
            {
                _pending[reason] = _pending.TryGetValue(reason, out var newer)
                    ? tally with { Count = tally.Count + newer.Count, LastSeen = newer.LastSeen, LastRequestId = newer.LastRequestId }
                    : tally;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not audit refused Stripe webhooks; they are kept for the next round")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);

    private sealed record Tally(long Count, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, string? FirstRequestId, string? LastRequestId);

    private sealed record WebhookRefusal(
        string Reason, long Count, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, string? FirstRequestId, string? LastRequestId);
}
