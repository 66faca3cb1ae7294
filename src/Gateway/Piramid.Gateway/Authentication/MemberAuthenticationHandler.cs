using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Piramid.Gateway.Authentication;

/// <summary>
/// Authenticates a signed-in person on <c>/v1/tenants/{id}/collections/...</c>: their access token (the
/// <see cref="AdminJwt"/> scheme, a token with <c>email</c>) and their membership of the tenant in the path, from
/// the <see cref="MemberCache"/>. The principal is then that of a key of the member's data-plane role (same claims,
/// same introspection item), so the limits and billing of a key apply unchanged (docs/design/tenant-access.md).
/// </summary>
public sealed class MemberAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, MemberCache members)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>Scheme name.</summary>
    public const string SchemeName = "Member";

    /// <summary>Set in <see cref="HttpContext.Items"/> when a valid person is not a member of the tenant: a 404, as for a tenant that does not exist.</summary>
    public const string NotMemberItem = "piramid.not-member";

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = await Context.AuthenticateAsync(AdminJwt.SchemeName);
        if (!token.Succeeded || token.Principal is not { } person || !person.HasClaim(c => c.Type == "email")
            || !Guid.TryParse(person.FindFirstValue("sub"), out var user))
        {
            return AuthenticateResult.NoResult();
        }

        // The change feed names members in this spelling; the cache's entries must match it.
        var userId = user.ToString("D");

        if (Context.GetRouteValue("id") is not string tenantId || tenantId.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        Piramid.Contracts.Admin.KeyIntrospectionResponse? identity;
        try
        {
            identity = await members.ResolveAsync(tenantId, userId, Context.RequestAborted);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !Context.RequestAborted.IsCancellationRequested)
        {
            Context.Items[ApiKeyAuthenticationHandler.UnavailableItem] = true;
            return AuthenticateResult.Fail("control plane unavailable");
        }

        if (identity is null)
        {
            Context.Items[NotMemberItem] = true;
            return AuthenticateResult.Fail("not a member");
        }

        Context.Items[ApiKeyAuthenticationHandler.IdentityItem] = identity;
        var claims = new List<Claim>
        {
            new(GatewayClaims.Principal, identity.KeyId),
            new(GatewayClaims.Tenant, identity.TenantId),
            new(GatewayClaims.Role, identity.Role),
        };
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, GatewayClaims.Principal, GatewayClaims.Role));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }
}
