using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Piramid.ControlPlane.Identity;

/// <summary>
/// <c>POST /connect/token</c> after OpenIddict has authenticated the client and checked the grant: the
/// principal is rebuilt from the database every time, so a removed role disappears at the next token.
/// </summary>
internal static class TokenEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, OperatorPrincipalFactory principals)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request is missing.");
        string? clientId;
        if (request.IsClientCredentialsGrantType())
        {
            clientId = request.ClientId;
        }
        else if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            clientId = result.Principal?.GetClaim(Claims.Subject);
        }
        else
        {
            return Refuse(Errors.UnsupportedGrantType, "This grant type is not supported.");
        }

        var principal = clientId is null ? null : await principals.CreateAsync(clientId, context.RequestAborted);
        return principal is null
            ? Refuse(Errors.InvalidGrant, "The client is not a registered operator or machine client.")
            : Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static IResult Refuse(string error, string description) =>
        Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
