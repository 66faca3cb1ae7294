using Microsoft.AspNetCore.Authorization;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Problems;
using Piramid.Gateway.Authentication;

namespace Piramid.Gateway.Authorization;

/// <summary>Requirement of the tenant routes: the key's tenant is not suspended (403 <c>tenant-suspended</c>).</summary>
public sealed class TenantNotSuspended : AuthorizationHandler<TenantNotSuspended>, IAuthorizationRequirement
{
    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, TenantNotSuspended requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Resource is HttpContext http && http.Items[ApiKeyAuthenticationHandler.IdentityItem] is KeyIntrospectionResponse { TenantSuspended: true })
        {
            context.Fail(new TenantRefusal(this, 0, ProblemCatalog.TenantSuspended,
                "This tenant is suspended; its data is kept. Ask the platform operator to resume it."));
        }
        else
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
