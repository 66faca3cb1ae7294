using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Orchestration;

/// <summary>
/// Runs one engine per tenant. The local implementation starts OS processes on loopback; a Kubernetes
/// implementation (a StatefulSet per tenant) fits the same contract. Every method is idempotent.
/// </summary>
public interface IEngineOrchestrator
{
    /// <summary>
    /// Creates the tenant's data directory, data key (stored only wrapped by the platform key) and engine
    /// secret, records the engine, starts it with the plan's limits and waits until it is ready.
    /// </summary>
    Task<EngineRoute> ProvisionAsync(Tenant tenant, Plan plan, CancellationToken cancellationToken);

    /// <summary>Starts a stopped engine (resume) and waits until it is ready.</summary>
    Task<EngineRoute> StartAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Stops the engine cleanly (suspend): it drains, flushes and checkpoints. No restart follows.</summary>
    Task StopAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Restarts the engine with new plan limits.</summary>
    Task ApplyPlanAsync(string tenantId, Plan plan, CancellationToken cancellationToken);

    /// <summary>Stops the engine and deletes its data directory and record (after a tenant's retention period).</summary>
    Task PurgeAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Where a tenant's engine listens and the secret to sign requests for it; null when it does not run.</summary>
    EngineRoute? GetRoute(string tenantId);

    /// <summary>Every running engine's route (the gateway's routing table).</summary>
    IReadOnlyList<EngineRoute> GetRoutes();

    /// <summary>Routes of engines hibernating or waking (last endpoint, state): the gateway holds their requests and wakes them.</summary>
    IReadOnlyList<EngineRoute> GetHibernatingRoutes();

    /// <summary>
    /// Starts a hibernating (or crashed) engine for a waiting request and waits until it is ready; idempotent: concurrent
    /// calls start one engine. A stopped (suspended) engine is not started.
    /// </summary>
    Task<WakeOutcome> WakeAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Data requests reached these tenants' engines (reported by the gateway): their idle time starts again.</summary>
    void RecordActivity(IEnumerable<string> tenantIds);

    /// <summary>
    /// Keeps the tenant's engine from hibernating until the handle is disposed (a backup, export or audit read of the
    /// control plane in progress). After a <see cref="EngineHoldKind.Use"/> its idle period starts again; after a
    /// <see cref="EngineHoldKind.Background"/> hold it does not. A no-op for an unknown tenant.
    /// </summary>
    IDisposable KeepAwake(string tenantId, EngineHoldKind kind);
}
