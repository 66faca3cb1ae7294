namespace Piramid.Contracts.Accounts;

/// <summary>Answer of <c>GET /v1/me</c>: the signed-in user.</summary>
public sealed class MeInfo
{
    /// <summary>User id (the token's <c>sub</c>).</summary>
    public required Guid Id { get; set; }

    /// <summary>Email.</summary>
    public required string Email { get; set; }

    /// <summary>True for operators of the platform.</summary>
    public bool PlatformAdmin { get; set; }

    /// <summary>True once a TOTP second factor is confirmed.</summary>
    public bool TotpEnabled { get; set; }

    /// <summary>The tenants the user belongs to, by name.</summary>
    public required IReadOnlyList<MembershipInfo> Memberships { get; set; }
}
