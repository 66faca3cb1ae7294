using System.Text.Json;
using Piramid.Contracts.Backups;
using Piramid.Contracts.Json;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Operations;

namespace Piramid.ControlPlane.Backups;

/// <summary>Entity → wire.</summary>
public static class BackupMapping
{
    /// <summary>
    /// The backup as the API shows it. A backup whose operation failed (its control plane died, say) is failed
    /// whatever its row last said, so nobody waits for it.
    /// </summary>
    public static BackupInfo ToInfo(this Backup backup, string? operationState)
    {
        ArgumentNullException.ThrowIfNull(backup);
        var state = backup.State != BackupStates.Completed && operationState is OperationStates.Failed or OperationStates.Succeeded
            ? BackupStates.Failed
            : backup.State;
        return new BackupInfo
        {
            Id = backup.Id,
            TenantId = backup.TenantId,
            State = state,
            OperationId = backup.OperationId,
            Scheduled = backup.Scheduled,
            Lsn = backup.Lsn,
            SizeBytes = backup.SizeBytes,
            Sha256 = backup.Sha256,
            CreatedAt = backup.CreatedAt,
            SnapshotAt = backup.SnapshotAt,
            CompletedAt = backup.CompletedAt,
            Collections = Collections(backup),
        };
    }

    private static List<BackupCollection> Collections(Backup backup)
    {
        if (backup.Collections is not null)
        {
            return JsonSerializer.Deserialize<List<BackupCollection>>(backup.Collections, WireJson.Options) ?? [];
        }

        var requested = backup.RequestedCollections is null ? [] : JsonSerializer.Deserialize<List<string>>(backup.RequestedCollections, WireJson.Options) ?? [];
        return [.. requested.Select(n => new BackupCollection { Name = n })];
    }
}
