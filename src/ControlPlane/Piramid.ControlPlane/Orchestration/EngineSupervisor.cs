using Microsoft.Extensions.Options;

namespace Piramid.ControlPlane.Orchestration;

/// <summary>
/// Adopts the engines that survived the previous control plane before the host serves requests, then runs a
/// supervision round every <see cref="LocalOrchestratorOptions.HealthInterval"/>. Stopping it leaves engines running.
/// </summary>
internal sealed class EngineSupervisor(LocalProcessOrchestrator orchestrator, IOptions<LocalOrchestratorOptions> options, TimeProvider time)
    : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Adoption finishes before the host accepts requests, so no API call can start a second engine
        // for a tenant whose engine is still running from the previous control plane.
        await orchestrator.AdoptAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HealthInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                orchestrator.SuperviseOnce();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutdown.
        }
    }
}
