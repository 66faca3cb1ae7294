using Microsoft.Extensions.Options;
using Piramid.ControlPlane.Orchestration;

namespace Piramid.ControlPlane.Auditing;

/// <summary>Anchors every running engine's audit log at start and then every <see cref="AuditExportOptions.AnchorInterval"/>.</summary>
public sealed partial class AuditAnchorService(
    IServiceScopeFactory scopes, IEngineOrchestrator orchestrator, IOptions<AuditExportOptions> options, TimeProvider time, ILogger<AuditAnchorService> logger)
    : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.AnchorInterval, time);
        using var background = EngineHolds.Background(); // Anchoring neither wakes an engine nor keeps it from hibernating.
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var route in orchestrator.GetRoutes())
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<AuditAnchors>().AnchorAsync(route.TenantId, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // An engine restarting or a tenant just purged: the next round anchors it.
                    AnchorFailed(logger, route.TenantId, e);
                }
            }
        }
    }

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "Anchoring the audit log of tenant {TenantId} failed; retrying next round")]
    private static partial void AnchorFailed(ILogger logger, string tenantId, Exception exception);
}
