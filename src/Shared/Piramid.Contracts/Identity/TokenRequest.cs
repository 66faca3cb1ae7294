namespace Piramid.Contracts.Identity;

/// <summary>
/// Form body of <c>POST /connect/token</c> (OAuth 2.0, <c>application/x-www-form-urlencoded</c>): client
/// credentials for machines, an authorization code with its PKCE verifier for people, or a refresh token.
/// </summary>
/// <example>{"grant_type": "client_credentials", "client_id": "ops-cli", "client_secret": "s3cret", "scope": "piramid.admin"}</example>
public sealed class TokenRequest
{
    /// <summary>The grant.</summary>
    [System.ComponentModel.DataAnnotations.AllowedValues("client_credentials", "authorization_code", "refresh_token")]
    public required string GrantType { get; set; }

    /// <summary>The client's id.</summary>
    public string? ClientId { get; set; }

    /// <summary>The client's secret (confidential clients; or HTTP Basic).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Space-separated scopes wanted.</summary>
    public string? Scope { get; set; }

    /// <summary>Authorization code grant: the code from <c>/connect/authorize</c>.</summary>
    public string? Code { get; set; }

    /// <summary>Authorization code grant: the PKCE verifier of the <c>code_challenge</c> sent to <c>/connect/authorize</c>.</summary>
    public string? CodeVerifier { get; set; }

    /// <summary>Authorization code grant: the redirect URI given to <c>/connect/authorize</c>.</summary>
    public string? RedirectUri { get; set; }

    /// <summary>Refresh token grant: the refresh token.</summary>
    public string? RefreshToken { get; set; }
}
