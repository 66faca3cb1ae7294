namespace Piramid.ControlPlane.Identity;

/// <summary>Authorization policy names, used as <c>.RequireAuthorization(IdentityPolicies.PlatformAdmin)</c>.</summary>
public static class IdentityPolicies
{
    /// <summary>A bearer access token carrying the role <c>platform_admin</c> (operators, Terraform, CI).</summary>
    public const string PlatformAdmin = "platform_admin";

    /// <summary>A person's access token (authorization code flow): it carries the user's <c>email</c>; machines' tokens never do.</summary>
    public const string User = "user";

    /// <summary>A bearer access token carrying the role <c>gateway</c> (the internal API).</summary>
    public const string Gateway = "gateway";
}
