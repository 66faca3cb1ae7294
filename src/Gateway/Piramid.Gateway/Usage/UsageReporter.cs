using Microsoft.Extensions.Options;
using Piramid.Contracts.Admin;
using Piramid.Gateway.ControlPlane;

namespace Piramid.Gateway.Usage;

/// <summary>
/// Sends the counted units and refused credentials to the control plane every
/// <see cref="GatewayOptions.UsageReportInterval"/> and once more on shutdown. A report that gets no answer
/// is sent again, whole and with the same id, before anything newer: an outage of the control plane delays
/// usage but loses none, and a report applied whose answer was lost is not billed twice.
/// </summary>
public sealed partial class UsageReporter(
    UsageMeter meter, AuthFailureLog failures, ControlPlaneClient controlPlane, IOptions<GatewayOptions> options, TimeProvider time, ILogger<UsageReporter> logger)
    : BackgroundService
{
    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await ReportOnceAsync(deadline.Token);
    }

    // One report at a time: when ReportOnceAsync returns, everything counted before the call has been
    // delivered or kept for the next attempt, even if the timer's report had already taken part of it.
    private readonly SemaphoreSlim _reporting = new(1, 1);

    // A report that was not answered, kept whole for the next attempt; its units still count for quotas.
    private UsageReport? _waiting;

    /// <summary>One report now (also used by tests to avoid waiting for the timer).</summary>
    public async Task ReportOnceAsync(CancellationToken cancellationToken)
    {
        await _reporting.WaitAsync(cancellationToken);
        try
        {
            await SendAsync(cancellationToken);
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

    // Sends the report that is still waiting (same id, so the control plane applies it once even if it did
    // before and only its answer was lost), then one with everything counted since.
    private async Task SendAsync(CancellationToken cancellationToken)
    {
        if (_waiting is not null && !await TrySendAsync(_waiting, cancellationToken))
        {
            return;
        }

        var usage = meter.Drain();
        var (refused, dropped) = failures.Drain();
        if (usage.Count == 0 && refused.Count == 0 && dropped == 0)
        {
            return;
        }

        await TrySendAsync(new UsageReport { Id = Guid.NewGuid().ToString("N"), Usage = usage, AuthFailures = refused, AuthFailuresDropped = dropped }, cancellationToken);
    }

    private async Task<bool> TrySendAsync(UsageReport report, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await controlPlane.ReportUsageAsync(report, cancellationToken);
            meter.Delivered(answer.Months);
            _waiting = null;
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or TaskCanceledException)
        {
            _waiting = report;
            LogReportFailed(logger, e.Message);
            return false;
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Usage report not delivered, kept for the next one: {Reason}")]
    private static partial void LogReportFailed(ILogger logger, string reason);
}
