namespace Piramid.ControlPlane.Identity;

/// <summary>Claim types and role names the control plane puts in its tokens beyond the OIDC standard ones.</summary>
public static class IdentityClaims
{
    /// <summary>The tenant a machine client belongs to; absent for operators and platform machines.</summary>
    public const string Tenant = "tenant";

    /// <summary>The role of the gateway's machine client (not a tenant role, so not in the public contract).</summary>
    public const string GatewayRole = "gateway";

    /// <summary>A user's security stamp, carried by authorization codes and refresh tokens only (never an access token).</summary>
    public const string SecurityStamp = "piramid_stamp";

    /// <summary>The OpenIddict application property holding a client's tenant id.</summary>
    internal const string TenantProperty = "piramid_tenant";
}
