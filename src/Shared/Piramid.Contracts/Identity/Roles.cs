namespace Piramid.Contracts.Identity;

/// <summary>Role names of API.md.</summary>
public static class Roles
{
    /// <summary>Operators of the platform.</summary>
    public const string PlatformAdmin = "platform_admin";

    /// <summary>Tenant administrator: manages collections and the tenant's keys.</summary>
    public const string Admin = "admin";

    /// <summary>Reads, searches and writes points.</summary>
    public const string ReadWrite = "read_write";

    /// <summary>Reads and searches only.</summary>
    public const string ReadOnly = "read_only";

    /// <summary>True for a role name this version knows.</summary>
    public static bool IsKnown(string role) =>
        role is PlatformAdmin or Admin or ReadWrite or ReadOnly;
}
