using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Piramid.Gateway.Authentication;

/// <summary>
/// Validates the control plane's access tokens at the edge, so a forged, expired or foreign token never
/// reaches the admin API: keys from the published JWKS, the issuer from discovery, our audience, RS256 only,
/// and at most <see cref="GatewayOptions.MaxClockSkew"/> of clock skew.
/// </summary>
public static class AdminJwt
{
    /// <summary>Scheme name.</summary>
    public const string SchemeName = "AdminJwt";

    /// <summary>Claim type of roles in the control plane's tokens (OpenIddict writes them unmapped).</summary>
    public const string RoleClaim = "role";

    /// <summary>Registers the JwtBearer scheme against the control plane's discovery document.</summary>
    public static AuthenticationBuilder AddAdminJwt(this AuthenticationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddJwtBearer(SchemeName);
        builder.Services.AddOptions<JwtBearerOptions>(SchemeName).Configure<IOptions<GatewayOptions>>((o, gateway) =>
        {
            var options = gateway.Value;
            var controlPlane = options.ControlPlaneUrl!;
            o.MetadataAddress = new Uri(controlPlane, ".well-known/openid-configuration").ToString();
            // Plain http only on loopback (local platform and tests); anywhere else discovery must be https.
            o.RequireHttpsMetadata = !controlPlane.IsLoopback;
            o.MapInboundClaims = false;
            // Discovery is refreshed in the background; a key rotation is picked up on the next refresh.
            o.AutomaticRefreshInterval = TimeSpan.FromMinutes(10);
            o.RefreshInterval = TimeSpan.FromSeconds(30);
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidateAudience = true,
                ValidAudience = options.JwtAudience,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                ValidateIssuerSigningKey = true,
                ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
                ClockSkew = options.JwtClockSkew,
                RoleClaimType = RoleClaim,
                NameClaimType = "sub",
            };
            // Failures are answered by UniformAuthorizationResults; no WWW-Authenticate error detail leaks.
            o.Events = new JwtBearerEvents
            {
                OnChallenge = context =>
                {
                    context.HandleResponse();
                    var http = context.HttpContext;
                    http.Items[ApiKeyAuthenticationHandler.RefusalItem] = new Refusal(http.Request.Headers.Authorization.Count > 0 ? "token" : "missing", null);
                    return UniformAuthorizationResults.WriteUnauthorizedAsync(context.HttpContext);
                },
            };
        });
        return builder;
    }
}
