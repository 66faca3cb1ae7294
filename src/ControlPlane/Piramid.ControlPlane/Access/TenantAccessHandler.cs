using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Piramid.Contracts;
using Piramid.Contracts.Identity;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Identity;

namespace Piramid.ControlPlane.Access;

/// <summary>
/// Decides <see cref="TenantAccessRequirement"/> for every credential kind in one place: an operator acts for every
/// tenant; a tenant's API key (vouched for by the gateway, see <see cref="Standing"/>), a tenant's machine client
/// and a member (<see cref="MemberStandings"/>) act for their own tenant only. Another tenant's id answers the same 404 as a tenant that does not
/// exist, so no tenant learns which ids exist; a role below the route's is a 403 naming what it may not do.
/// </summary>
public sealed class TenantAccessHandler(MemberStandings members) : AuthorizationHandler<TenantAccessRequirement>
{
    /// <inheritdoc />
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, TenantAccessRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);
        var user = context.User;
        if (user.HasClaim("role", Roles.PlatformAdmin))
        {
            context.Succeed(requirement);
            return;
        }

        if (context.Resource is not HttpContext http || http.GetRouteValue("id") is not string id)
        {
            context.Fail(new TenantAccessRefusal(this, ProblemCatalog.Forbidden, "This route does not name a tenant."));
            return;
        }

        var standing = Standing(http, user) ?? await members.OfAsync(user, id, http.RequestAborted);
        if (standing is null)
        {
            context.Fail(new TenantAccessRefusal(this, ProblemCatalog.Forbidden, "This credential does not act for a tenant; use an operator token, a member token or a tenant admin API key."));
        }
        else if (!string.Equals(standing.TenantId, id, StringComparison.Ordinal))
        {
            // Word for word the endpoints' answer for a tenant that does not exist.
            context.Fail(new TenantAccessRefusal(this, ProblemCatalog.NotFound, $"Tenant '{id}' does not exist."));
        }
        else if (standing.Scoped)
        {
            context.Fail(new TenantAccessRefusal(this, ProblemCatalog.Forbidden, $"A key limited to collections may not {requirement.Purpose}."));
        }
        else if (!TenantRoles.AtLeast(standing.Role, requirement.MinimumRole))
        {
            context.Fail(new TenantAccessRefusal(this, ProblemCatalog.Forbidden, $"The role '{standing.Role}' may not {requirement.Purpose}."));
        }
        else
        {
            context.Succeed(requirement);
        }
    }

    /// <summary>
    /// The standing a credential carries itself, or null (a member's is looked up). The gateway vouches for a
    /// tenant's API key with its own access token plus <see cref="HeaderNames.KeyTenant"/> and
    /// <see cref="HeaderNames.KeyRole"/>, which it strips from every client request: the headers count only on a
    /// request that carries the gateway's token, which no client holds. A tenant's machine client carries its
    /// tenant in the token.
    /// </summary>
    public static TenantStanding? Standing(HttpContext http, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(user);
        if (user.HasClaim("role", IdentityClaims.GatewayRole))
        {
            var headers = http.Request.Headers;
            return headers[HeaderNames.KeyTenant].ToString() is { Length: > 0 } tenant && headers[HeaderNames.KeyRole].ToString() is { Length: > 0 } role
                ? new TenantStanding(tenant, role, headers[HeaderNames.KeyScoped].ToString() == "true")
                : null;
        }

        if (user.FindFirstValue(IdentityClaims.Tenant) is { Length: > 0 } machineTenant)
        {
            var role = user.FindAll("role").Select(c => c.Value).FirstOrDefault(r => TenantRoles.AtLeast(r, Roles.ReadOnly));
            return role is null ? null : new TenantStanding(machineTenant, role, Scoped: false);
        }

        return null;
    }
}
