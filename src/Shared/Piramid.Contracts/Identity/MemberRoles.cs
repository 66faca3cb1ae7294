using System.Diagnostics.CodeAnalysis;

namespace Piramid.Contracts.Identity;

/// <summary>
/// The one home of the member role words (<c>owner</c>, <c>admin</c>, <c>developer</c>, <c>viewer</c>) and of
/// their mapping to the data-plane roles of <see cref="Roles"/>, so every process spells them alike.
/// </summary>
public static class MemberRoles
{
    /// <summary>Wire word of <see cref="MemberRole.Owner"/>.</summary>
    public const string Owner = "owner";

    /// <summary>Wire word of <see cref="MemberRole.Admin"/>.</summary>
    public const string Admin = "admin";

    /// <summary>Wire word of <see cref="MemberRole.Developer"/>.</summary>
    public const string Developer = "developer";

    /// <summary>Wire word of <see cref="MemberRole.Viewer"/>.</summary>
    public const string Viewer = "viewer";

    /// <summary>Every word, in order of decreasing power.</summary>
    public static IReadOnlyList<string> All { get; } = [Owner, Admin, Developer, Viewer];

    /// <summary>The wire word of a role.</summary>
    public static string ToWire(MemberRole role) => role switch
    {
        MemberRole.Owner => Owner,
        MemberRole.Admin => Admin,
        MemberRole.Developer => Developer,
        MemberRole.Viewer => Viewer,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown member role."),
    };

    /// <summary>Reads a wire word (exact, lower case); false for anything else.</summary>
    public static bool TryParse([NotNullWhen(true)] string? word, out MemberRole role)
    {
        switch (word)
        {
            case Owner: role = MemberRole.Owner; return true;
            case Admin: role = MemberRole.Admin; return true;
            case Developer: role = MemberRole.Developer; return true;
            case Viewer: role = MemberRole.Viewer; return true;
            default: role = default; return false;
        }
    }

    /// <summary>The data-plane role a member acts as: owner and admin as <c>admin</c>, developer as <c>read_write</c>, viewer as <c>read_only</c>.</summary>
    public static string ToDataPlaneRole(MemberRole role) => role switch
    {
        MemberRole.Owner or MemberRole.Admin => Roles.Admin,
        MemberRole.Developer => Roles.ReadWrite,
        MemberRole.Viewer => Roles.ReadOnly,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown member role."),
    };
}
