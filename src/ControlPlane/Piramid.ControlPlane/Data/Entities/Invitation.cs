using Piramid.Contracts.Identity;

namespace Piramid.ControlPlane.Data.Entities;

/// <summary>An invitation to join a tenant. Its token is stored only as SHA-256; it is single use and expires.</summary>
public sealed class Invitation
{
    /// <summary>Id, <c>inv_</c> + 16 hex.</summary>
    public required string Id { get; set; }

    /// <summary>The tenant.</summary>
    public required string TenantId { get; set; }

    /// <summary>The tenant row.</summary>
    public Tenant? Tenant { get; set; }

    /// <summary>SHA-256 of the token (unique).</summary>
    public required byte[] TokenHash { get; set; }

    /// <summary>When set (normalized), only this user may accept.</summary>
    public string? Email { get; set; }

    /// <summary>The role the invitee gets.</summary>
    public MemberRole Role { get; set; }

    /// <summary>The audit actor who invited.</summary>
    public required string CreatedBy { get; set; }

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>No acceptance after this time.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>When it was accepted; set once, so a second acceptance is refused.</summary>
    public DateTimeOffset? AcceptedAt { get; set; }

    /// <summary>The user who accepted.</summary>
    public Guid? AcceptedBy { get; set; }
}
