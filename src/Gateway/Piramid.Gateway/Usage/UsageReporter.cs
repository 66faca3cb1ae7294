using System.Net;
using Microsoft.Extensions.Options;
using Piramid.Contracts.Admin;
using Piramid.Gateway.ControlPlane;

namespace Piramid.Gateway.Usage;

/// <summary>
/// Sends the counted units, then apart the counts of refused credentials, the keys' last uses and the request counts
/// for the charts (<see cref="RequestStatsLog"/>), to the control plane every
/// <see cref="GatewayOptions.UsageReportInterval"/> and once more on shutdown. A usage report that gets no answer
/// is sent again, whole and with the same id, before anything newer: an outage of the control plane delays usage
/// but loses none, and a report applied whose answer was lost is not billed twice. A report the control plane
/// refuses (400, 413, 422) is never sent again as it was: it is split in halves until the refused entry stands
/// alone, and that entry is dropped with a log line, so one bad entry cannot hold up everyone's billing.
/// </summary>
public sealed partial class UsageReporter(
    UsageMeter meter, AuthFailureLog failures, KeyUseLog keyUses, RequestStatsLog requestStats, ControlPlaneClient controlPlane, IOptions<GatewayOptions> options, TimeProvider time, ILogger<UsageReporter> logger,
    Telemetry.GatewayTelemetry telemetry)
    : BackgroundService
{
    // One report at a time: when ReportOnceAsync returns, everything counted before the call has been
    // delivered or kept for the next attempt, even if the timer's report had already taken part of it.
    private readonly SemaphoreSlim _reporting = new(1, 1);

    // The drained report still to deliver, as one or more pieces (more after a refusal split it), first piece
    // first; their units still count for quotas until the last piece is delivered.
    private readonly List<UsageReport> _waiting = [];
    private readonly Dictionary<string, MonthlyUsage> _deliveredMonths = new(StringComparer.Ordinal);

    private enum Outcome
    {
        Delivered,
        Refused,
        Unanswered,
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await ReportOnceAsync(deadline.Token);
    }

    /// <summary>One report now (also used by tests to avoid waiting for the timer).</summary>
    public async Task ReportOnceAsync(CancellationToken cancellationToken)
    {
        await _reporting.WaitAsync(cancellationToken);
        try
        {
            // Usage first and on its own: however many refusals there were, they never delay billing.
            if (await DeliverWaitingAsync(cancellationToken))
            {
                var drainedAt = time.GetTimestamp();
                var usage = meter.Drain();
                if (usage.Count > 0)
                {
                    _waiting.Add(new UsageReport { Id = NewId(), Usage = usage });
                }

                if (await DeliverWaitingAsync(cancellationToken))
                {
                    telemetry.UsageCaughtUp(drainedAt);
                }
            }

            await SendAuthFailuresAsync(cancellationToken);
            await SendKeyUsesAsync(cancellationToken);
            await SendRequestStatsAsync(cancellationToken);
        }
        finally
        {
            _reporting.Release();
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _reporting.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.UsageReportInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await ReportOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: StopAsync sends the last report.
        }
    }

    // True when nothing is left waiting. Each piece keeps its id until delivered; the halves of a refused piece
    // get new ids (the control plane applied nothing of it).
    private async Task<bool> DeliverWaitingAsync(CancellationToken cancellationToken)
    {
        while (_waiting.Count > 0)
        {
            var report = _waiting[0];
            var (outcome, answer) = await TrySendAsync(report, cancellationToken);
            if (outcome == Outcome.Unanswered)
            {
                return false;
            }

            _waiting.RemoveAt(0);
            if (outcome == Outcome.Delivered)
            {
                foreach (var month in answer!.Months)
                {
                    _deliveredMonths[month.TenantId] = month;
                }
            }
            else if (report.Usage.Count > 1)
            {
                var half = report.Usage.Count / 2;
                _waiting.InsertRange(0, [new UsageReport { Id = NewId(), Usage = [.. report.Usage.Take(half)] }, new UsageReport { Id = NewId(), Usage = [.. report.Usage.Skip(half)] }]);
            }
            else
            {
                foreach (var delta in report.Usage)
                {
                    LogUsageDropped(logger, delta.TenantId, delta.Day, delta.ReadUnits, delta.WriteUnits);
                }
            }
        }

        meter.Delivered(_deliveredMonths.Values);
        _deliveredMonths.Clear();
        return true;
    }

    private async Task<(Outcome Outcome, UsageReportResponse? Answer)> TrySendAsync(UsageReport report, CancellationToken cancellationToken)
    {
        try
        {
            return (Outcome.Delivered, await controlPlane.ReportUsageAsync(report, cancellationToken));
        }
        catch (HttpRequestException e) when (IsRefusal(e.StatusCode))
        {
            LogReportRefused(logger, "usage", report.Usage.Count, (int)e.StatusCode!.Value);
            return (Outcome.Refused, null);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            LogReportFailed(logger, e.Message);
            return (Outcome.Unanswered, null);
        }
    }

    // Refusals are not split further than halves of what failed: the log says how many were dropped.
    private async Task SendAuthFailuresAsync(CancellationToken cancellationToken)
    {
        var pending = new Stack<AuthFailureReport>();
        pending.Push(failures.Drain());
        while (pending.TryPop(out var report))
        {
            if (report.Entries.Count == 0 && report.Others == 0)
            {
                continue;
            }

            try
            {
                await controlPlane.ReportAuthFailuresAsync(report, cancellationToken);
            }
            catch (HttpRequestException e) when (IsRefusal(e.StatusCode))
            {
                LogReportRefused(logger, "auth failure", report.Entries.Count, (int)e.StatusCode!.Value);
                if (report.Entries.Count > 1)
                {
                    var half = report.Entries.Count / 2;
                    pending.Push(new AuthFailureReport { Entries = [.. report.Entries.Skip(half)], Others = report.Others });
                    pending.Push(new AuthFailureReport { Entries = [.. report.Entries.Take(half)] });
                }
                else
                {
                    LogAuthFailuresDropped(logger, report.Entries.Sum(f => f.Count) + report.Others);
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                // Counts, not a queue: what got no answer joins the next interval's counts, within the same bound.
                failures.Restore(report);
                while (pending.TryPop(out var rest))
                {
                    failures.Restore(rest);
                }

                LogReportFailed(logger, e.Message);
            }
        }
    }

    // Last-use times, not a queue: what got no answer is merged back and sent with the next report; a refused
    // report is dropped (its keys are stamped again on their next use).
    private async Task SendKeyUsesAsync(CancellationToken cancellationToken)
    {
        var report = keyUses.Drain();
        if (report.KeyLastUsed.Count == 0)
        {
            return;
        }

        try
        {
            await controlPlane.ReportKeyUsesAsync(report, cancellationToken);
        }
        catch (HttpRequestException e) when (IsRefusal(e.StatusCode))
        {
            LogReportRefused(logger, "key use", report.KeyLastUsed.Count, (int)e.StatusCode!.Value);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            keyUses.Restore(report);
            LogReportFailed(logger, e.Message);
        }
    }

    // Counts for the charts: a report without an answer is sent again with its id (applied once); a refused one is
    // dropped, never split: the gateway builds it, so a refusal is a bug to log, not an entry to isolate.
    private async Task SendRequestStatsAsync(CancellationToken cancellationToken)
    {
        if (requestStats.Next() is not { } report)
        {
            return;
        }

        try
        {
            await controlPlane.ReportRequestStatsAsync(report, cancellationToken);
            requestStats.Done();
        }
        catch (HttpRequestException e) when (IsRefusal(e.StatusCode))
        {
            LogRequestStatsDropped(logger, report.Minutes.Count, (int)e.StatusCode!.Value);
            requestStats.Done();
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            LogReportFailed(logger, e.Message);
        }
    }

    private static bool IsRefusal(HttpStatusCode? status) =>
        status is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.UnprocessableEntity;

    private static string NewId() => Guid.NewGuid().ToString("N");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report not delivered, kept for the next one: {Reason}")]
    private static partial void LogReportFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The control plane refused a {Kind} report of {Entries} entries ({Status}); splitting it")]
    private static partial void LogReportRefused(ILogger logger, string kind, int entries, int status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Usage dropped, refused by the control plane: tenant {TenantId}, day {Day}, {ReadUnits} read and {WriteUnits} write units")]
    private static partial void LogUsageDropped(ILogger logger, string tenantId, DateOnly day, long readUnits, long writeUnits);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request counts of {Minutes} tenant-minutes dropped, refused by the control plane ({Status})")]
    private static partial void LogRequestStatsDropped(ILogger logger, int minutes, int status);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} refused requests dropped from the audit, refused by the control plane")]
    private static partial void LogAuthFailuresDropped(ILogger logger, long count);
}
