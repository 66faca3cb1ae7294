using System.ComponentModel.DataAnnotations;
using Piramid.Contracts.Identity;

namespace Piramid.Contracts.Accounts;

/// <summary>Body of <c>PATCH /v1/tenants/{id}/members/{user_id}</c>.</summary>
/// <example>{"role": "viewer"}</example>
public sealed class MemberUpdateRequest
{
    /// <summary>The new role: <c>owner</c>, <c>admin</c>, <c>developer</c> or <c>viewer</c>.</summary>
    [AllowedValues(MemberRoles.Owner, MemberRoles.Admin, MemberRoles.Developer, MemberRoles.Viewer)]
    public string? Role { get; set; }
}
