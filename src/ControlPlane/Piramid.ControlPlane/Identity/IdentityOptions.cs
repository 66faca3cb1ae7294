namespace Piramid.ControlPlane.Identity;

/// <summary>The token issuer's settings, bound from the <c>Identity</c> section.</summary>
public sealed class IdentityOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Identity";

    /// <summary>
    /// Absolute URL of the issuer (the control plane's public base address); it is the <c>iss</c> of every
    /// token and the authority other services fetch the discovery document and JWKS from.
    /// </summary>
    public Uri? Issuer { get; set; }

    /// <summary>
    /// Path of the persisted key file (JSON: RSA signing key and symmetric encryption key), created with mode
    /// 0600 on first start. Ephemeral keys would invalidate every token at each restart.
    /// </summary>
    public string SigningKeyFile { get; set; } = string.Empty;

    /// <summary>Lifetime of access tokens; short because a JWT cannot be revoked once issued.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The <c>aud</c> of access tokens, which every resource server checks.</summary>
    public string Audience { get; set; } = "piramid";
}
