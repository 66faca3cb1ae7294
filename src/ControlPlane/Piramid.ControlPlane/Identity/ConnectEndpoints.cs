using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Piramid.Contracts.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Piramid.ControlPlane.Identity;

/// <summary>
/// The passthrough handlers of <c>connect/token</c> and <c>connect/authorize</c>. OpenIddict has already
/// validated the request (client authentication, PKCE, redirect URI, code redemption) when these run;
/// they only decide who the token is for and what it carries.
/// </summary>
internal static class ConnectEndpoints
{
    public static async Task<IResult> TokenAsync(HttpContext context, OperatorPrincipalFactory principals, ILoggerFactory loggers)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("connect/token reached without an OpenIddict request.");

        string? subject;
        ImmutableArray<string> scopes;
        if (request.IsClientCredentialsGrantType())
        {
            // The client authenticated with its secret; the token is about the client itself.
            subject = request.ClientId;
            scopes = request.GetScopes();
        }
        else if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            // The code or refresh token carries the operator who logged in; roles are re-read below.
            var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            subject = result.Principal?.GetClaim(Claims.Subject);
            scopes = result.Principal?.GetScopes() ?? [];
        }
        else
        {
            return Reject(Errors.UnsupportedGrantType, "This grant type is not supported.");
        }

        var principal = subject is null ? null : await principals.CreateAsync(subject, context.RequestAborted);
        if (principal is null)
        {
            IdentityLog.UnknownOperator(loggers.CreateLogger(typeof(ConnectEndpoints).FullName!), subject ?? "(none)");
            return Reject(Errors.InvalidGrant, "The client is not a registered operator or machine client.");
        }

        principal.SetScopes(scopes);
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    public static async Task<IResult> AuthorizeAsync(HttpContext context, OperatorPrincipalFactory principals)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("connect/authorize reached without an OpenIddict request.");

        var login = await context.AuthenticateAsync(AccountEndpoints.Scheme);
        if (!login.Succeeded || login.Principal.FindFirstValue(Claims.Subject) is not { } subject)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Reject(Errors.LoginRequired, "The operator is not logged in.");
            }

            // Back to this very request after the login form; a POSTed authorization request is replayed as a GET.
            var parameters = context.Request.HasFormContentType
                ? QueryString.Create((await context.Request.ReadFormAsync(context.RequestAborted)).Select(p => KeyValuePair.Create(p.Key, p.Value)))
                : context.Request.QueryString;
            return Results.Challenge(
                new AuthenticationProperties { RedirectUri = context.Request.PathBase + context.Request.Path + parameters },
                [AccountEndpoints.Scheme]);
        }

        var principal = await principals.CreateAsync(subject, context.RequestAborted);
        if (principal is null || !principal.HasClaim(Claims.Role, Roles.PlatformAdmin))
        {
            return Reject(Errors.AccessDenied, "Only operators may use the portal.");
        }

        principal.SetScopes(request.GetScopes());
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static IResult Reject(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
