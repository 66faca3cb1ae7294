namespace Piramid.Contracts.Identity;

/// <summary>Answer of <c>POST /connect/token</c>: a bearer access token (a JWT) for the admin API.</summary>
public sealed class TokenResponse
{
    /// <summary>The access token, sent as <c>Authorization: Bearer ...</c>.</summary>
    public required string AccessToken { get; set; }

    /// <summary>Always <c>Bearer</c>.</summary>
    public required string TokenType { get; set; }

    /// <summary>Seconds until the access token expires.</summary>
    public long ExpiresIn { get; set; }

    /// <summary>The scopes granted.</summary>
    public string? Scope { get; set; }

    /// <summary>A refresh token, for people who asked for <c>offline_access</c>.</summary>
    public string? RefreshToken { get; set; }

    /// <summary>An OpenID Connect identity token, for people who asked for <c>openid</c>.</summary>
    public string? IdToken { get; set; }
}
