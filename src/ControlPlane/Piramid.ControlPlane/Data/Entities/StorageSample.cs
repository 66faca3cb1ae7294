namespace Piramid.ControlPlane.Data.Entities;

/// <summary>
/// A tenant's last storage sample. The next sample adds its bytes times the time since this one to the day's
/// byte-seconds, so a restart of the control plane neither loses nor double-counts the time between samples.
/// </summary>
public sealed class StorageSample
{
    /// <summary>Tenant id.</summary>
    public required string TenantId { get; set; }

    /// <summary>When it was taken.</summary>
    public DateTimeOffset SampledAt { get; set; }

    /// <summary>Bytes on disk of the tenant's collections (vectors, metadata, index, log).</summary>
    public long Bytes { get; set; }
}
