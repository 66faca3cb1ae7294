using Microsoft.AspNetCore.Authorization;

namespace Piramid.ControlPlane.Access;

/// <summary>
/// "Acts for tenant <c>{id}</c> with at least <see cref="MinimumRole"/>": the one requirement of the routes under
/// <c>/v1/tenants/{id}/...</c> that a tenant may use itself (docs/design/tenant-access.md).
/// </summary>
/// <param name="MinimumRole">The least tenant role (<c>read_only</c> &lt; <c>read_write</c> &lt; <c>admin</c>).</param>
/// <param name="Purpose">What the role allows, for the 403's detail ("manage this tenant").</param>
public sealed record TenantAccessRequirement(string MinimumRole, string Purpose) : IAuthorizationRequirement;
