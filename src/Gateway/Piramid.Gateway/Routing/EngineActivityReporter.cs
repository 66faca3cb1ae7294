using Microsoft.Extensions.Options;
using Piramid.Contracts.Admin;
using Piramid.Gateway.ControlPlane;

namespace Piramid.Gateway.Routing;

/// <summary>
/// Sends <see cref="EngineActivity"/> to the control plane every <see cref="GatewayOptions.EngineActivityReportInterval"/>
/// (nothing when no tenant had a request). A report that gets no answer is merged into the next one.
/// </summary>
public sealed partial class EngineActivityReporter(
    EngineActivity activity, ControlPlaneClient controlPlane, IOptions<GatewayOptions> options, TimeProvider time, ILogger<EngineActivityReporter> logger)
    : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.EngineActivityReportInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await ReportOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: an engine that looks idle for one interval longer only hibernates a little early.
        }
    }

    /// <summary>Sends what was noted since the last report.</summary>
    public async Task ReportOnceAsync(CancellationToken cancellationToken)
    {
        var tenants = activity.Drain();
        if (tenants.Count == 0)
        {
            return;
        }

        try
        {
            await controlPlane.ReportEngineActivityAsync(new EngineActivityReport { Tenants = tenants }, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or InvalidOperationException)
        {
            activity.Restore(tenants);
            ReportFailed(logger, tenants.Count, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report the activity of {Count} tenants ({Reason}); it goes with the next report")]
    private static partial void ReportFailed(ILogger logger, int count, string reason);
}
