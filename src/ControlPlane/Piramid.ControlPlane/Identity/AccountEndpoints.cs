using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using Piramid.Contracts.Identity;
using Piramid.Contracts.Problems;
using Piramid.ServiceDefaults;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Piramid.ControlPlane.Identity;

/// <summary>
/// The minimal operator login behind <c>connect/authorize</c>: an operator proves itself with its client id
/// and secret (checked by OpenIddict's application manager, constant time over a PBKDF2 hash) and gets a
/// short-lived cookie that only the authorization endpoint reads. The portal will replace the form.
/// </summary>
internal static class AccountEndpoints
{
    /// <summary>Cookie scheme of a logged-in operator.</summary>
    public const string Scheme = "Piramid.Operator";

    public const string LoginPath = "/account/login";

    public static IResult LoginForm(HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
        Form(context, antiforgery, returnUrl, error: null, StatusCodes.Status200OK);

    public static async Task<IResult> LoginAsync(
        HttpContext context, IAntiforgery antiforgery, IOpenIddictApplicationManager applications, OperatorPrincipalFactory principals, ILoggerFactory loggers)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(context);
        }
        catch (AntiforgeryValidationException)
        {
            return ProblemResults.For(ProblemCatalog.InvalidRequest,
                "The form's antiforgery token is missing or invalid: sign in from the page GET /account/login serves.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var clientId = form["client_id"].ToString();
        var secret = form["client_secret"].ToString();
        var returnUrl = form["return_url"].ToString();
        var logger = loggers.CreateLogger(typeof(AccountEndpoints).FullName!);

        var application = clientId.Length == 0 ? null : await applications.FindByClientIdAsync(clientId, context.RequestAborted);
        var valid = application is not null
            && secret.Length > 0
            && await applications.ValidateClientSecretAsync(application, secret, context.RequestAborted);
        var principal = valid ? await principals.CreateAsync(clientId, context.RequestAborted) : null;
        // Machine clients (gateway, tenants' clients) hold secrets too but are not people at a portal.
        if (principal is null || !principal.HasClaim(Claims.Role, Roles.PlatformAdmin))
        {
            IdentityLog.LoginFailed(logger, clientId);
            return Form(context, antiforgery, returnUrl, "Invalid client id or secret.", StatusCodes.Status401Unauthorized);
        }

        var identity = new ClaimsIdentity(Scheme, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, clientId));
        identity.AddClaim(new Claim(Claims.Name, principal.FindFirstValue(Claims.Name) ?? clientId));
        await context.SignInAsync(Scheme, new ClaimsPrincipal(identity));
        IdentityLog.LoginSucceeded(logger, clientId);
        return Results.Redirect(LocalReturnUrl.IsLocal(returnUrl) ? returnUrl : "/");
    }

    private static IResult Form(HttpContext context, IAntiforgery antiforgery, string? returnUrl, string? error, int statusCode)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var html = HtmlEncoder.Default;
        var message = error is null ? string.Empty : $"<p role=\"alert\">{html.Encode(error)}</p>";
        var page = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Piramid operator login</title></head>
            <body><h1>Operator login</h1>{message}
            <form method="post" action="{LoginPath}">
            <input type="hidden" name="{html.Encode(tokens.FormFieldName)}" value="{html.Encode(tokens.RequestToken ?? string.Empty)}">
            <input type="hidden" name="return_url" value="{html.Encode(returnUrl ?? string.Empty)}">
            <label>Client id <input name="client_id" autocomplete="username" required></label>
            <label>Client secret <input name="client_secret" type="password" autocomplete="current-password" required></label>
            <button type="submit">Log in</button>
            </form></body></html>
            """;
        return Results.Content(page, "text/html; charset=utf-8", statusCode: statusCode);
    }
}
