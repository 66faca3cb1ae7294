using Microsoft.Extensions.Options;
using Piramid.Contracts.Admin;
using Piramid.Gateway.ControlPlane;

namespace Piramid.Gateway.Usage;

/// <summary>
/// Sends the counted units and refused credentials to the control plane every
/// <see cref="GatewayOptions.UsageReportInterval"/> and once more on shutdown. A failed report is put back
/// and retried with the next one, so an outage of the control plane delays usage but loses none.
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
    // delivered or put back, even if the timer's report had already taken part of it and was still sending.
    private readonly SemaphoreSlim _reporting = new(1, 1);

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

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        var usage = meter.Drain();
        var (refused, dropped) = failures.Drain();
        if (usage.Count == 0 && refused.Count == 0 && dropped == 0)
        {
            return;
        }

        try
        {
            var answer = await controlPlane.ReportUsageAsync(new UsageReport { Usage = usage, AuthFailures = refused, AuthFailuresDropped = dropped }, cancellationToken);
            meter.Stored(answer.Months);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or TaskCanceledException)
        {
            meter.Restore(usage);
            failures.Restore(refused, dropped);
            LogReportFailed(logger, e.Message);
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
