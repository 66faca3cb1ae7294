using Microsoft.Extensions.Diagnostics.HealthChecks;
using Piramid.Backups.Stores;

namespace Piramid.Backups.Configuration;

/// <summary>
/// Whether the backup store answers: one listing of a prefix that holds nothing (a ListObjectsV2 on S3, which fails
/// for a missing bucket, unlike a HEAD; a directory read on the filesystem, which fails when the volume is gone),
/// proving the endpoint, the credentials and the bucket or directory without writing anything.
/// </summary>
public sealed class BackupStoreHealth(IBackupStore store) : IHealthCheck
{
    /// <summary>The prefix listed.</summary>
    public const string ProbePrefix = "health/probe/";

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await foreach (var _ in store.ListAsync(ProbePrefix, cancellationToken))
            {
                break;
            }

            return HealthCheckResult.Healthy(store.Describe);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"{store.Describe}: {e.Message}", e);
        }
    }
}
