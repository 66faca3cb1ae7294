using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using Piramid.Contracts.Identity;
using Piramid.ControlPlane.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Piramid.ControlPlane.Identity;

/// <summary>
/// Builds the claims of a person's tokens from the <c>users</c> row at every issue and refresh: <c>sub</c> = user id,
/// <c>email</c>, role <c>platform_admin</c> only for operators. The security stamp rides in the authorization code and
/// refresh token only (no destination), so a refresh after a password change is refused even if a token escaped revocation.
/// </summary>
internal sealed class UserPrincipalFactory(ControlPlaneDbContext db, IOptions<IdentityOptions> options)
{
    /// <summary>The principal for <paramref name="subject"/>, or null when it is no user or <paramref name="stamp"/> is stale.</summary>
    public async Task<ClaimsPrincipal?> CreateAsync(string? subject, string? stamp, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(subject, out var id))
        {
            return null;
        }

        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null || (stamp is not null && !string.Equals(stamp, user.SecurityStamp, StringComparison.Ordinal)))
        {
            return null;
        }

        var identity = new ClaimsIdentity(authenticationType: "Piramid", nameType: Claims.Name, roleType: Claims.Role);
        identity.SetClaim(Claims.Subject, user.Id.ToString());
        identity.SetClaim(Claims.Email, user.Email);
        identity.SetClaim(Claims.Name, user.Email);
        if (user.PlatformAdmin)
        {
            identity.SetClaim(Claims.Role, Roles.PlatformAdmin);
        }

        identity.SetClaim(IdentityClaims.SecurityStamp, user.SecurityStamp);
        identity.SetDestinations(static claim => claim.Type switch
        {
            IdentityClaims.SecurityStamp => [],
            Claims.Name or Claims.Email or Claims.Role => [Destinations.AccessToken, Destinations.IdentityToken],
            _ => [Destinations.AccessToken],
        });

        var principal = new ClaimsPrincipal(identity);
        principal.SetAudiences(options.Value.Audience);
        return principal;
    }
}
