using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Piramid.ControlPlane.Tests.Identity;

/// <summary>
/// What another service (the gateway) does with JwtBearer: discovery document → JWKS → signature, issuer,
/// audience, lifetime, RS256 only, 30 s clock skew. Uses the same Microsoft.IdentityModel handler JwtBearer uses.
/// </summary>
internal static class JwksValidator
{
    public static async Task<TokenValidationResult> ValidateAsync(IdentityTestHost host, string token, string audience = "piramid")
    {
        var discovery = await host.GetJsonAsync(new Uri(host.BaseAddress, ".well-known/openid-configuration"));
        Assert.Equal(host.Issuer.ToString(), discovery.GetProperty("issuer").GetString());
        // The discovery document names the issuer's host; the test fetches from wherever this host listens.
        var jwksPath = new Uri(discovery.GetProperty("jwks_uri").GetString()!).PathAndQuery;
        var jwks = new JsonWebKeySet((await host.GetJsonAsync(new Uri(host.BaseAddress, jwksPath))).GetRawText());
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = host.Issuer.ToString(),
            ValidAudience = audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromSeconds(30),
        };
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, parameters);
    }

    public static JsonElement Payload(string token)
    {
        var parts = token.Split('.');
        return JsonDocument.Parse(Base64UrlEncoder.Decode(parts[1])).RootElement;
    }

    public static JsonElement Header(string token) =>
        JsonDocument.Parse(Base64UrlEncoder.Decode(token.Split('.')[0])).RootElement;
}
