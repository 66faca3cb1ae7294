using Microsoft.AspNetCore.Authorization;
using Piramid.Contracts;
using Piramid.ControlPlane.Identity;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Internal;

/// <summary>
/// Problems of a request the gateway forwarded to another path (a tenant key's <c>/v1/usage</c> to
/// <c>/v1/tenants/{id}/usage</c>) name the path the client called: the gateway says which in
/// <see cref="HeaderNames.ClientPath"/>, and only the gateway's word counts.
/// </summary>
internal static class ClientPaths
{
    public static async Task ApplyAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Headers[HeaderNames.ClientPath].ToString() is { Length: > 0 } path)
        {
            var authorization = context.RequestServices.GetRequiredService<IAuthorizationService>();
            if ((await authorization.AuthorizeAsync(context.User, IdentityPolicies.Gateway)).Succeeded)
            {
                ProblemDefaults.SetClientPath(context, path);
            }
        }

        await next(context);
    }
}
