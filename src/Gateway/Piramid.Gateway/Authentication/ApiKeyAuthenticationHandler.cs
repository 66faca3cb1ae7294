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

    /// <summary>Key of the refusal (<see cref="Refusal"/>) in <see cref="HttpContext.Items"/>, for the audit trail.</summary>
    public const string RefusalItem = "piramid.refusal";

    /// <summary>Set in <see cref="HttpContext.Items"/> when the key could not be checked (control plane away): a 503, not a 401.</summary>
    public const string UnavailableItem = "piramid.unavailable";

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
            Context.Items[RefusalItem] = new Refusal("malformed", null);
            return AuthenticateResult.Fail("malformed key");
        }

        var resolution = await keys.ResolveAsync(keyId, secretHash, Context.RequestAborted);
        if (resolution.Unavailable)
        {
            Context.Items[UnavailableItem] = true;
            return AuthenticateResult.Fail("control plane unavailable");
        }

        if (resolution.Identity is not { } identity)
        {
            Context.Items[RefusalItem] = new Refusal("invalid", keyId);
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
    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => UniformAuthorizationResults.WriteUnauthorizedAsync(Context);
}

/// <summary>Why a credential was refused and, when it was a well-formed key, its public id.</summary>
/// <param name="Reason"><c>malformed</c> or <c>invalid</c>.</param>
/// <param name="KeyId">The key id, never the secret.</param>
public sealed record Refusal(string Reason, string? KeyId);
