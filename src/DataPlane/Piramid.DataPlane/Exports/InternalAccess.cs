using Piramid.Contracts.Identity;
using Piramid.DataPlane.Api;
using Piramid.DataPlane.Security;

namespace Piramid.DataPlane.Exports;

/// <summary>
/// The engine's <c>/internal/v1/</c> endpoints are the control plane's (docs/design/internal-auth.md): the gateway
/// never forwards these paths, and the engine still admits only a platform identity with no collection scope.
/// </summary>
internal static class InternalAccess
{
    /// <summary>Throws <see cref="ForbiddenException"/> (403) unless the caller is the platform.</summary>
    public static InternalIdentity Authorize(HttpContext context)
    {
        if (context.Items[InternalAuthMiddleware.ItemKey] is not InternalIdentity identity)
        {
            throw new ForbiddenException("No identity.");
        }

        if (identity.Role != Roles.PlatformAdmin || identity.Collections.Count > 0)
        {
            throw new ForbiddenException($"The role '{identity.Role}' may not call the engine's internal API.");
        }

        return identity;
    }
}
