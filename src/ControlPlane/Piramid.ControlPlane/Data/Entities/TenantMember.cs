using Piramid.Contracts.Identity;

namespace Piramid.ControlPlane.Data.Entities;

/// <summary>A user's membership of a tenant, with a role; one per (tenant, user).</summary>
public sealed class TenantMember
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; set; }

    /// <summary>The tenant row.</summary>
    public Tenant? Tenant { get; set; }

    /// <summary>The user.</summary>
    public Guid UserId { get; set; }

    /// <summary>The user row.</summary>
    public User? User { get; set; }

    /// <summary>Role, stored as its wire word (<see cref="MemberRoles"/>).</summary>
    public MemberRole Role { get; set; }

    /// <summary>When the user joined.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
