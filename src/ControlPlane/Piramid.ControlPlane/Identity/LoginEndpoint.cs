using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using Piramid.Contracts.Identity;
using Piramid.ControlPlane.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Piramid.ControlPlane.Identity;

/// <summary>
/// A minimal operator sign-in in front of the authorization endpoint: an operator proves who they are
/// with their client id and secret (verified by OpenIddict's hashed secret). The portal issue replaces
/// this page with a proper one; the protocol around it stays.
/// </summary>
internal static partial class LoginEndpoint
{
    public static IResult Form(string? returnUrl) =>
        Results.Content(
            $"""
            <!doctype html><html><head><meta charset="utf-8"><title>Piramid sign-in</title></head><body>
            <h1>Piramid operator sign-in</h1>
            <form method="post" action="/account/login">
              <input type="hidden" name="returnUrl" value="{WebUtility.HtmlEncode(returnUrl ?? "/")}">
              <label>Client id <input name="clientId" autocomplete="username"></label>
              <label>Client secret <input name="clientSecret" type="password" autocomplete="current-password"></label>
              <button type="submit">Sign in</button>
            </form></body></html>
            """,
            "text/html");

    public static async Task<IResult> SubmitAsync(
        HttpContext context, IOpenIddictApplicationManager applications, ControlPlaneDbContext db, ILogger<LoginForm> logger)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var clientId = form["clientId"].ToString();
        var secret = form["clientSecret"].ToString();
        var returnUrl = form["returnUrl"].ToString();
        var application = clientId.Length == 0 ? null : await applications.FindByClientIdAsync(clientId, context.RequestAborted);
        var isOperator = application is not null
            && await db.Operators.AnyAsync(o => o.ClientId == clientId && o.Roles.Contains(Roles.PlatformAdmin), context.RequestAborted)
            && await applications.ValidateClientSecretAsync(application, secret, context.RequestAborted);
        if (!isOperator)
        {
            IdentityLog.LoginFailed(logger, clientId);
            return Results.Content("<!doctype html><p>Sign-in failed.</p>", "text/html", statusCode: StatusCodes.Status401Unauthorized);
        }

        IdentityLog.LoginSucceeded(logger, clientId);
        var identity = new ClaimsIdentity([new Claim(Claims.Subject, clientId)], IdentityExtensions.LoginScheme);
        await context.SignInAsync(IdentityExtensions.LoginScheme, new ClaimsPrincipal(identity));
        // Only local return URLs: the login must not become an open redirect.
        return Results.Redirect(Uri.IsWellFormedUriString(returnUrl, UriKind.Relative) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) ? returnUrl : "/");
    }

    /// <summary>Logger category.</summary>
    internal sealed class LoginForm;
}
