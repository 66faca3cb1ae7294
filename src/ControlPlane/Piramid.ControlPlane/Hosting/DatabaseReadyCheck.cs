using Microsoft.Extensions.Diagnostics.HealthChecks;
using Piramid.ControlPlane.Data;

namespace Piramid.ControlPlane.Hosting;

/// <summary>Ready only while PostgreSQL answers.</summary>
internal sealed class DatabaseReadyCheck(ControlPlaneDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("PostgreSQL does not answer.");
}
