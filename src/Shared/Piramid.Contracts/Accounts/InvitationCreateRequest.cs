using System.ComponentModel.DataAnnotations;
using Piramid.Contracts.Identity;

namespace Piramid.Contracts.Accounts;

/// <summary>Body of <c>POST /v1/tenants/{id}/invitations</c>.</summary>
/// <example>{"email": "grace@example.com", "role": "developer"}</example>
public sealed class InvitationCreateRequest
{
    /// <summary>When set, only the user with this email may accept.</summary>
    public string? Email { get; set; }

    /// <summary>The role the invitee gets: <c>owner</c> (only an owner may invite one), <c>admin</c>, <c>developer</c> or <c>viewer</c>.</summary>
    [AllowedValues(MemberRoles.Owner, MemberRoles.Admin, MemberRoles.Developer, MemberRoles.Viewer)]
    public string? Role { get; set; }
}
