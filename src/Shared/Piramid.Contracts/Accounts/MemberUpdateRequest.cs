namespace Piramid.Contracts.Accounts;

/// <summary>Body of <c>PATCH /v1/tenants/{id}/members/{user_id}</c>.</summary>
public sealed class MemberUpdateRequest
{
    /// <summary>The new role: <c>owner</c>, <c>admin</c>, <c>developer</c> or <c>viewer</c>.</summary>
    public string? Role { get; set; }
}
