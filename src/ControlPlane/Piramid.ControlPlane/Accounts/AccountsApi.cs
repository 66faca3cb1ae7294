using Microsoft.AspNetCore.Http.HttpResults;
using Piramid.Contracts.Accounts;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Identity;
using Piramid.ServiceDefaults;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Piramid.ControlPlane.Accounts;

/// <summary><c>POST /v1/signup</c> (anonymous, rate-limited per address at the gateway) and the signed-in user's <c>/v1/me</c>.</summary>
public static class AccountsApi
{
    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/signup", SignUp).AllowAnonymous();
        var me = app.MapGroup("/v1/me").RequireAuthorization(IdentityPolicies.User);
        me.MapGet("/", Me);
        me.MapPost("/password", ChangePassword);
        me.MapPost("/totp", BeginTotp);
        me.MapPost("/totp/confirm", ConfirmTotp);
        return app;
    }

    private static async Task<Created<SignUpResponse>> SignUp(SignUpRequest request, UserAccounts accounts, CancellationToken ct) =>
        TypedResults.Created("/v1/me", await accounts.SignUpAsync(request, ct));

    private static async Task<Ok<MeInfo>> Me(HttpContext context, UserAccounts accounts, CancellationToken ct) =>
        TypedResults.Ok(await accounts.MeAsync(UserId(context), ct) ?? throw Gone());

    private static async Task<NoContent> ChangePassword(HttpContext context, PasswordChangeRequest request, UserAccounts accounts, CancellationToken ct)
    {
        await accounts.ChangePasswordAsync(UserId(context), request, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<TotpEnrolment>> BeginTotp(HttpContext context, UserAccounts accounts, CancellationToken ct) =>
        TypedResults.Ok(await accounts.BeginTotpAsync(UserId(context), ct));

    private static async Task<Ok<TotpConfirmation>> ConfirmTotp(HttpContext context, TotpConfirmRequest request, UserAccounts accounts, CancellationToken ct) =>
        TypedResults.Ok(await accounts.ConfirmTotpAsync(UserId(context), request, ct));

    private static Guid UserId(HttpContext context) =>
        Guid.TryParse(context.User.FindFirst(Claims.Subject)?.Value, out var id) ? id : throw Gone();

    private static ProblemException Gone() => new(ProblemCatalog.Unauthorized, "The token's user no longer exists.");
}
