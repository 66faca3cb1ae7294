using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Piramid.ControlPlane.Identity;

/// <summary>
/// <c>/connect/authorize</c> (authorization code + PKCE, for the portal): an operator signed in through
/// the login cookie gets a code for a principal built from the operators table.
/// </summary>
internal static class AuthorizeEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, OperatorPrincipalFactory principals)
    {
        _ = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The OpenIddict server request is missing.");
        var login = await context.AuthenticateAsync(IdentityExtensions.LoginScheme);
        var operatorId = login.Succeeded ? login.Principal?.FindFirst(Claims.Subject)?.Value : null;
        if (operatorId is null)
        {
            return Results.Challenge(
                new AuthenticationProperties { RedirectUri = context.Request.PathBase + context.Request.Path + context.Request.QueryString },
                [IdentityExtensions.LoginScheme]);
        }

        var principal = await principals.CreateAsync(operatorId, context.RequestAborted);
        if (principal is null)
        {
            return Results.Forbid(
                new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.AccessDenied,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The signed-in operator no longer exists.",
                }),
                [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }
}
