using Microsoft.AspNetCore.Authorization;
using Piramid.ControlPlane.Access;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Operations;

/// <summary>
/// The tenant check of a short route (<c>/v1/operations/{op_id}</c>, <c>/v1/backups/{backup_id}</c>) whose resource names
/// its tenant: the same <see cref="TenantAccessHandler"/> decides, as if the path were <c>/v1/tenants/{tenant}/...</c>.
/// </summary>
public static class TenantResources
{
    /// <summary>
    /// Throws <paramref name="notFound"/> when the caller does not act for <paramref name="tenantId"/> (so the
    /// resource of another tenant looks missing), or a 403 naming the role it lacks.
    /// </summary>
    public static async Task AuthorizeAsync(
        HttpContext http, IAuthorizationService authorization, string tenantId, TenantAccessRequirement requirement, ProblemException notFound)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(authorization);
        http.Request.RouteValues["id"] = tenantId;
        var result = await authorization.AuthorizeAsync(http.User, http, [requirement]);
        if (result.Succeeded)
        {
            return;
        }

        var refusal = result.Failure?.FailureReasons.OfType<TenantAccessRefusal>().FirstOrDefault();
        if (refusal is null || refusal.Kind.Status == StatusCodes.Status404NotFound)
        {
            throw notFound;
        }

        throw new ProblemException(refusal.Kind, refusal.Message);
    }
}
