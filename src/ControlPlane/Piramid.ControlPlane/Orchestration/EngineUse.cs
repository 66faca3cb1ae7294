namespace Piramid.ControlPlane.Orchestration;

/// <summary>The control plane's own requests to an engine (backups, exports, audit reads) and hibernation.</summary>
public static class EngineUse
{
    /// <summary>
    /// The running engine's route; a hibernating or waking engine is woken first, with the same idempotent wake as the
    /// gateway's first request (docs/design/hibernation.md). Null when there is no engine to ask: stopped (suspended),
    /// unknown, or not ready after the wake. Background work (<see cref="EngineHolds"/>) never wakes: it gets null.
    /// </summary>
    public static async Task<EngineRoute?> RouteOrWakeAsync(this IEngineOrchestrator orchestrator, string tenantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orchestrator);
        if (orchestrator.GetRoute(tenantId) is { } route)
        {
            return route;
        }

        if (EngineHolds.Current == EngineHoldKind.Background || !orchestrator.GetHibernatingRoutes().Any(r => r.TenantId == tenantId))
        {
            return null;
        }

        var outcome = await orchestrator.WakeAsync(tenantId, cancellationToken);
        return outcome.Result == WakeResult.Running ? outcome.Route : null;
    }
}
