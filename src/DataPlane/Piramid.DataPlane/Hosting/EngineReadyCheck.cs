using Microsoft.Extensions.Diagnostics.HealthChecks;
using Piramid.Engine;

namespace Piramid.DataPlane.Hosting;

/// <summary>Ready once the engine is open; degraded (still serving reads) while storage refuses writes.</summary>
internal sealed class EngineReadyCheck(VectorEngine engine) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(engine.Health.IsReadOnly
            ? HealthCheckResult.Degraded("read-only: " + engine.Health.Reason)
            : HealthCheckResult.Healthy());
}
