using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Piramid.ControlPlane.Identity;

/// <summary>
/// The passthrough handlers of <c>connect/token</c> and <c>connect/authorize</c>. OpenIddict has already
/// validated the request (client authentication, PKCE, redirect URI, code redemption) when these run;
/// they only decide who the token is for and what it carries.
/// </summary>
internal static class ConnectEndpoints
{
    public static async Task<IResult> TokenAsync(
        HttpContext context, OperatorPrincipalFactory principals, UserPrincipalFactory users, ILoggerFactory loggers)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("connect/token reached without an OpenIddict request.");

        ClaimsPrincipal? principal;
        string? subject;
        if (request.IsClientCredentialsGrantType())
        {
            // The client authenticated with its secret; the token is about the client itself.
            subject = request.ClientId;
            principal = subject is null ? null : await principals.CreateAsync(subject, context.RequestAborted);
            principal?.SetScopes(request.GetScopes());
        }
        else if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            // The code or refresh token names the person who signed in; the user row is read again, and a stamp
            // changed since (password change) ends the chain even if a token escaped revocation.
            var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            subject = result.Principal?.GetClaim(Claims.Subject);
            principal = await users.CreateAsync(subject, result.Principal?.GetClaim(IdentityClaims.SecurityStamp) ?? string.Empty, context.RequestAborted);
            principal?.SetScopes(result.Principal?.GetScopes() ?? []);
        }
        else
        {
            return Reject(Errors.UnsupportedGrantType, "This grant type is not supported.");
        }

        if (principal is null)
        {
            IdentityLog.UnknownOperator(loggers.CreateLogger(typeof(ConnectEndpoints).FullName!), subject ?? "(none)");
            return Reject(Errors.InvalidGrant, "The client or user is not registered, or the grant is no longer valid.");
        }

        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    public static async Task<IResult> AuthorizeAsync(HttpContext context, UserPrincipalFactory users)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("connect/authorize reached without an OpenIddict request.");

        var login = await context.AuthenticateAsync(AccountEndpoints.Scheme);
        var principal = login.Succeeded
            ? await users.CreateAsync(login.Principal.FindFirstValue(Claims.Subject), login.Principal.FindFirstValue(IdentityClaims.SecurityStamp) ?? string.Empty, context.RequestAborted)
            : null;
        if (principal is null)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Reject(Errors.LoginRequired, "The user is not signed in.");
            }

            // Back to this very request after the login form; a POSTed authorization request is replayed as a GET.
            var parameters = context.Request.HasFormContentType
                ? QueryString.Create((await context.Request.ReadFormAsync(context.RequestAborted)).Select(p => KeyValuePair.Create(p.Key, p.Value)))
                : context.Request.QueryString;
            return Results.Challenge(
                new AuthenticationProperties { RedirectUri = context.Request.PathBase + context.Request.Path + parameters },
                [AccountEndpoints.Scheme]);
        }

        principal.SetScopes(request.GetScopes());
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>End session: clears the sign-in cookie, then OpenIddict redirects to the registered post-logout URI.</summary>
    public static async Task<IResult> LogoutAsync(HttpContext context)
    {
        await context.SignOutAsync(AccountEndpoints.Scheme);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static IResult Reject(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
