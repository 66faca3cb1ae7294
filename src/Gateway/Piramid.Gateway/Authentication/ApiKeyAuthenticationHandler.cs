using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Piramid.Gateway.Limits;
using Piramid.Gateway.Usage;

namespace Piramid.Gateway.Authentication;

/// <summary>Authenticates tenant API keys through the <see cref="KeyCache"/>; any other credential is not its business.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, KeyCache keys, AddressLimits limits)
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

        if (!keys.TryGetValid(keyId, secretHash, out var identity))
        {
            // Anything not served from the cache is unauthenticated work, paid from the address's budget before
            // the lookup, so an unknown key reaches the control plane only within that budget.
            var (admitted, retryAfter) = limits.TakeUnauthenticated(Context);
            if (!admitted)
            {
                Context.Items[RefusalItem] = new Refusal(AddressLimits.RateLimitedReason, keyId, Charged: true, retryAfter);
                return AuthenticateResult.Fail("address budget spent");
            }

            var resolution = await keys.ResolveAsync(keyId, secretHash, Context.RequestAborted);
            if (resolution.Unavailable)
            {
                Context.Items[UnavailableItem] = true;
                return AuthenticateResult.Fail("control plane unavailable");
            }

            if (resolution.Identity is null)
            {
                Context.Items[RefusalItem] = new Refusal("invalid", keyId, Charged: true);
                return AuthenticateResult.Fail("invalid key");
            }

            identity = resolution.Identity;
        }

        Context.Items[IdentityItem] = identity;
        Context.RequestServices.GetRequiredService<KeyUseLog>().Record(identity.KeyId);
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
/// <param name="Reason"><c>missing</c>, <c>malformed</c>, <c>invalid</c>, <c>token</c> or <c>rate_limited</c>.</param>
/// <param name="KeyId">The key id, never the secret.</param>
/// <param name="Charged">True when the request already took its token from the address's unauthenticated budget.</param>
/// <param name="RetryAfterSeconds">For <c>rate_limited</c>: when the budget has a token again.</param>
public sealed record Refusal(string Reason, string? KeyId, bool Charged = false, int RetryAfterSeconds = 0);
