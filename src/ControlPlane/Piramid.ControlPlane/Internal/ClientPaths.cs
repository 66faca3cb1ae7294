using Microsoft.AspNetCore.Authorization;
using Piramid.Contracts;
using Piramid.ControlPlane.Identity;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Internal;

/// <summary>
/// Problems on the internal routes name the path the client called at the gateway, never <c>/internal/...</c>: the
/// gateway says which in <see cref="HeaderNames.ClientPath"/>, and only the gateway's word counts.
/// </summary>
internal static class ClientPaths
{
    public static async Task ApplyAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments("/internal", StringComparison.OrdinalIgnoreCase)
            && context.Request.Headers[HeaderNames.ClientPath].ToString() is { Length: > 0 } path)
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
