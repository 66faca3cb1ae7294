using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Accounts;
using Piramid.ServiceDefaults;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Piramid.ControlPlane.Identity;

/// <summary>
/// The sign-in page behind <c>connect/authorize</c>: email and password (then a TOTP or recovery code when the user
/// has a second factor), antiforgery-protected. Success sets a short-lived cookie that only the authorization endpoint
/// reads. Every failure shows the same words with the same status, whatever went wrong.
/// </summary>
internal static class AccountEndpoints
{
    /// <summary>Cookie scheme of a signed-in person.</summary>
    public const string Scheme = "Piramid.Session";

    /// <summary>Cookie scheme of a person who gave the right password and owes a code.</summary>
    public const string TwoFactorScheme = "Piramid.TwoFactor";

    public const string LoginPath = "/account/login";

    public const string CodePath = "/account/login/code";

    /// <summary>The one answer to every failed attempt.</summary>
    public const string FailureMessage = "Sign-in failed: the email, password or code is wrong, or the account is locked for a while after too many failures.";

    public static IResult LoginForm(HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
        PasswordForm(context, antiforgery, returnUrl, error: null, StatusCodes.Status200OK);

    public static async Task<IResult> LoginAsync(HttpContext context, IAntiforgery antiforgery, UserAccounts accounts)
    {
        if (await RefusedAsync(context, antiforgery) is { } refused)
        {
            return refused;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = form["return_url"].ToString();
        var outcome = await accounts.SignInAsync(form["email"].ToString(), form["password"].ToString(), context.RequestAborted);
        if (outcome.User is null)
        {
            return PasswordForm(context, antiforgery, returnUrl, FailureMessage, StatusCodes.Status401Unauthorized);
        }

        if (outcome.NeedsCode)
        {
            var pending = new ClaimsIdentity(TwoFactorScheme);
            pending.AddClaim(new Claim(Claims.Subject, outcome.User.Id.ToString()));
            pending.AddClaim(new Claim(IdentityClaims.SecurityStamp, outcome.User.SecurityStamp));
            await context.SignInAsync(TwoFactorScheme, new ClaimsPrincipal(pending));
            return CodeForm(context, antiforgery, returnUrl, error: null, StatusCodes.Status200OK);
        }

        return await SignedInAsync(context, outcome, returnUrl);
    }

    public static async Task<IResult> CodeAsync(HttpContext context, IAntiforgery antiforgery, UserAccounts accounts)
    {
        if (await RefusedAsync(context, antiforgery) is { } refused)
        {
            return refused;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = form["return_url"].ToString();
        var pending = await context.AuthenticateAsync(TwoFactorScheme);
        if (!pending.Succeeded || !Guid.TryParse(pending.Principal.FindFirstValue(Claims.Subject), out var userId))
        {
            // The five minutes are over (or no password was given): start again.
            return PasswordForm(context, antiforgery, returnUrl, FailureMessage, StatusCodes.Status401Unauthorized);
        }

        var stamp = pending.Principal.FindFirstValue(IdentityClaims.SecurityStamp) ?? string.Empty;
        var outcome = await accounts.SignInWithCodeAsync(userId, stamp, form["code"].ToString(), context.RequestAborted);
        if (!outcome.Succeeded)
        {
            return CodeForm(context, antiforgery, returnUrl, FailureMessage, StatusCodes.Status401Unauthorized);
        }

        await context.SignOutAsync(TwoFactorScheme);
        return await SignedInAsync(context, outcome, returnUrl);
    }

    private static async Task<IResult> SignedInAsync(HttpContext context, SignInOutcome outcome, string returnUrl)
    {
        var identity = new ClaimsIdentity(Scheme, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, outcome.User!.Id.ToString()));
        identity.AddClaim(new Claim(Claims.Name, outcome.User.Email));
        identity.AddClaim(new Claim(IdentityClaims.SecurityStamp, outcome.User.SecurityStamp));
        await context.SignInAsync(Scheme, new ClaimsPrincipal(identity));
        return Results.Redirect(LocalReturnUrl.IsLocal(returnUrl) ? returnUrl : "/");
    }

    private static async Task<IResult?> RefusedAsync(HttpContext context, IAntiforgery antiforgery)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(context);
            return null;
        }
        catch (AntiforgeryValidationException)
        {
            return ProblemResults.For(ProblemCatalog.InvalidRequest,
                "The form's antiforgery token is missing or invalid: sign in from the page GET /account/login serves.");
        }
    }

    private static IResult PasswordForm(HttpContext context, IAntiforgery antiforgery, string? returnUrl, string? error, int statusCode) =>
        Page(context, antiforgery, LoginPath, returnUrl, error, statusCode, """
            <label>Email <input name="email" type="email" autocomplete="username" required></label>
            <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
            <button type="submit">Sign in</button>
            """);

    private static IResult CodeForm(HttpContext context, IAntiforgery antiforgery, string? returnUrl, string? error, int statusCode) =>
        Page(context, antiforgery, CodePath, returnUrl, error, statusCode, """
            <p>Enter the 6-digit code of your authenticator app, or one of your recovery codes.</p>
            <label>Code <input name="code" autocomplete="one-time-code" inputmode="numeric" required></label>
            <button type="submit">Verify</button>
            """);

    private static IResult Page(HttpContext context, IAntiforgery antiforgery, string action, string? returnUrl, string? error, int statusCode, string fields)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var html = HtmlEncoder.Default;
        var message = error is null ? string.Empty : $"<p role=\"alert\">{html.Encode(error)}</p>";
        var page = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Sign in to Piramid</title><link rel="stylesheet" href="{LoginStylesheet.Path}"></head>
            <body><main><p class="brand">Piramid</p><h1>Sign in to Piramid</h1>{message}
            <form method="post" action="{action}">
            <input type="hidden" name="{html.Encode(tokens.FormFieldName)}" value="{html.Encode(tokens.RequestToken ?? string.Empty)}">
            <input type="hidden" name="return_url" value="{html.Encode(returnUrl ?? string.Empty)}">
            {fields}
            </form></main></body></html>
            """;
        return Results.Content(page, "text/html; charset=utf-8", statusCode: statusCode);
    }
}
