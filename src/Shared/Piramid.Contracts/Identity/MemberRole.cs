namespace Piramid.Contracts.Identity;

/// <summary>A person's role in a tenant (API.md, "Accounts and members"). Spelled on the wire by <see cref="MemberRoles"/>.</summary>
public enum MemberRole
{
    /// <summary>Everything an admin does, plus billing and deleting the tenant; a tenant keeps at least one.</summary>
    Owner,

    /// <summary>Manages collections, keys and members.</summary>
    Admin,

    /// <summary>Reads and writes points.</summary>
    Developer,

    /// <summary>Reads and searches only.</summary>
    Viewer,
}
