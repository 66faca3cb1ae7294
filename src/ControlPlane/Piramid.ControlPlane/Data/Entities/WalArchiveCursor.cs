namespace Piramid.ControlPlane.Data.Entities;

/// <summary>Where a tenant's log archiver resumes: the engine's <c>next_cursor</c> after the last stored segment.</summary>
public sealed class WalArchiveCursor
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; set; }

    /// <summary>The engine's opaque cursor.</summary>
    public required string Cursor { get; set; }

    /// <summary>Last change.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}
