using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Piramid.Gateway.Authentication;

/// <summary>Authenticates tenant API keys through the <see cref="KeyCache"/>; any other credential is not its business.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, KeyCache keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>Scheme name.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>Key of the introspection (with the plan) in <see cref="HttpContext.Items"/>.</summary>
    public const string IdentityItem = "piramid.key";

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = ApiKeyParser.Find(Request);
        if (presented is null)
        {
            return AuthenticateResult.NoResult();
        }

        if (!ApiKeyParser.TryParse(presented, out var keyId, out var secretHash))
        {
            return AuthenticateResult.Fail("malformed key");
        }

        var identity = await keys.ResolveAsync(keyId, secretHash, Context.RequestAborted);
        if (identity is null)
        {
            return AuthenticateResult.Fail("invalid key");
        }

        Context.Items[IdentityItem] = identity;
        var claims = new List<Claim>
        {
            new(GatewayClaims.Principal, identity.KeyId),
            new(GatewayClaims.Tenant, identity.TenantId),
            new(GatewayClaims.Role, identity.Role),
        };
        claims.AddRange(identity.Collections.Select(c => new Claim(GatewayClaims.Collection, c)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, GatewayClaims.Principal, GatewayClaims.Role));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>Every failure gets the same body, whatever the cause, so a prober learns nothing.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                type: Contracts.Problems.ProblemTypes.Unauthorized,
                title: "Unauthorized",
                detail: "The request carries no valid credential.")
            .ExecuteAsync(Context);
    }
}
