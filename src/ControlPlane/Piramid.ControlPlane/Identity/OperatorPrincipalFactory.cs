using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using Piramid.Contracts.Identity;
using Piramid.ControlPlane.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Piramid.ControlPlane.Identity;

/// <summary>
/// Builds the claims of a token for a client from the database at issue time, so a role removed from
/// <c>operators</c> disappears at the next token or refresh instead of living as long as a refresh token.
/// </summary>
internal sealed class OperatorPrincipalFactory(
    ControlPlaneDbContext db,
    IOpenIddictApplicationManager applications,
    IOptions<IdentityOptions> options)
{
    /// <summary>The principal for <paramref name="clientId"/>, or null when it is not a registered operator or machine.</summary>
    public async Task<ClaimsPrincipal?> CreateAsync(string clientId, CancellationToken cancellationToken)
    {
        var row = await db.Operators.AsNoTracking().SingleOrDefaultAsync(o => o.ClientId == clientId, cancellationToken);
        var application = await applications.FindByClientIdAsync(clientId, cancellationToken);
        if (row is null || application is null)
        {
            return null;
        }

        var identity = new ClaimsIdentity(authenticationType: "Piramid", nameType: Claims.Name, roleType: Claims.Role);
        identity.SetClaim(Claims.Subject, clientId);
        identity.SetClaim(Claims.Name, row.Name);
        identity.SetClaims(Claims.Role, [.. row.Roles.Distinct(StringComparer.Ordinal)]);

        // Tenant clients carry their tenant; operators are platform-wide and never get one, even if the
        // property were set by hand, so a platform_admin token can never be mistaken for a tenant's.
        var properties = await applications.GetPropertiesAsync(application, cancellationToken);
        if (!row.Roles.Contains(Roles.PlatformAdmin)
            && properties.TryGetValue(IdentityClaims.TenantProperty, out var tenant)
            && tenant.ValueKind == System.Text.Json.JsonValueKind.String)
        {
            identity.SetClaim(IdentityClaims.Tenant, tenant.GetString());
        }

        // Resource servers authorize on role and tenant, so they must reach the access token; the identity
        // token (portal only) gets the name and roles for display.
        identity.SetDestinations(static claim => claim.Type switch
        {
            Claims.Name or Claims.Role => [Destinations.AccessToken, Destinations.IdentityToken],
            _ => [Destinations.AccessToken],
        });

        var principal = new ClaimsPrincipal(identity);
        principal.SetAudiences(options.Value.Audience);
        return principal;
    }
}
