using System.Globalization;
using Microsoft.Extensions.Options;
using Piramid.ControlPlane.Billing;
using Piramid.ControlPlane.Orchestration;

namespace Piramid.ControlPlane.Observability;

/// <summary>
/// Every <see cref="RequestMetricsOptions.SampleInterval"/>: each running engine's bytes on disk (as billing reads
/// them) and working set (its own <c>/metrics</c>, which it serves before internal auth) into the charts' minute
/// table, then the minutes past <see cref="RequestMetricsOptions.Retention"/> are removed. An engine that does not
/// answer is left out of that minute (its chart shows a gap, not a zero). A hibernating engine's storage is carried at its
/// last sample (its data stays on disk, unchanged), without memory: it has no process.
/// </summary>
public sealed partial class EngineSampler(
    IServiceScopeFactory scopes, IEngineOrchestrator orchestrator, EngineStorageClient engines, IOptions<RequestMetricsOptions> options,
    TimeProvider time, ILogger<EngineSampler> logger)
    : BackgroundService
{
    private const string WorkingSet = "dotnet_process_memory_working_set_bytes";

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Samples every running engine now and removes expired minutes (the timer calls it; tests too).</summary>
    public async Task SampleAllAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<RequestMetricsStore>();
        foreach (var route in orchestrator.GetRoutes())
        {
            try
            {
                var bytes = await engines.BytesOnDiskAsync(route, ct);
                await store.SampleAsync(route.TenantId, bytes, await WorkingSetAsync(route, ct), ct);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                LogSampleFailed(logger, route.TenantId, e.Message);
            }
        }

        foreach (var route in orchestrator.GetHibernatingRoutes())
        {
            await store.CarryStorageAsync(route.TenantId, ct);
        }

        await store.CleanupAsync(options.Value.Retention, ct);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SampleInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SampleAllAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogSamplingFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    // The working set from the engine's Prometheus text; null when the line is missing (an engine without metrics).
    private async Task<long?> WorkingSetAsync(EngineRoute route, CancellationToken ct)
    {
        var text = await _http.GetStringAsync(new Uri(route.Endpoint, "/metrics"), ct);
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (!line.StartsWith(WorkingSet) || line.Length == WorkingSet.Length || line[WorkingSet.Length] is not (' ' or '{'))
            {
                continue;
            }

            var value = line[(line.LastIndexOf('}') + 1)..].Trim();
            var end = value.IndexOf(' '); // an optional timestamp follows the value
            if (double.TryParse(end < 0 ? value : value[..end], NumberStyles.Float, CultureInfo.InvariantCulture, out var bytes))
            {
                return (long)bytes;
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metrics sample of tenant {TenantId}'s engine failed: {Reason}")]
    private static partial void LogSampleFailed(ILogger logger, string tenantId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Metrics sampling failed; the next interval tries again")]
    private static partial void LogSamplingFailed(ILogger logger, Exception exception);
}
