using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Problems;
using Piramid.Gateway.Authorization;
using Piramid.Gateway.Limits;
using Piramid.Gateway.Usage;
using Piramid.ServiceDefaults;

namespace Piramid.Gateway.Authentication;

/// <summary>
/// Answers every failed authorization of a proxied route with the same problem bodies, whatever the scheme
/// and cause: one 401 for any missing, malformed, expired, forged or revoked credential, and a 403 for a
/// valid principal that may not do this.
/// </summary>
public sealed class UniformAuthorizationResults : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    /// <inheritdoc />
    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Challenged)
        {
            return ChallengedAsync(context);
        }

        if (authorizeResult.Forbidden)
        {
            // The requirement that refused names the problem; several refusing answer with the first by rank.
            var refusal = authorizeResult.AuthorizationFailure?.FailureReasons.OfType<TenantRefusal>().MinBy(r => r.Rank);
            RecordForbidden(context);
            return ProblemResults.WriteAsync(context, refusal?.Kind ?? ProblemCatalog.Forbidden, refusal?.Message ?? "The credential is valid but may not do this.");
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }

    /// <summary>
    /// A valid credential of the wrong kind for the route is a 403, not a 401: the caller holds a good credential
    /// and retrying it cannot help. A tenant API key on the admin API (the policy authenticated only the operator
    /// token scheme), or an operator token on a tenant route (the API key scheme found no key). Anything else is
    /// the uniform 401.
    /// </summary>
    private static async Task ChallengedAsync(HttpContext context)
    {
        // A person who is not a member of the tenant in the path learns nothing about it: as if it did not exist.
        if (context.Items.ContainsKey(MemberAuthenticationHandler.NotMemberItem))
        {
            await ProblemResults.WriteAsync(context, ProblemCatalog.NotFound, "No tenant with this id has you as a member.");
            return;
        }

        if (context.Items[ApiKeyAuthenticationHandler.IdentityItem] is KeyIntrospectionResponse && context.Items.ContainsKey(Forwarding.MemberPaths.RewrittenItem))
        {
            RecordForbidden(context);
            await ProblemResults.WriteAsync(context, ProblemCatalog.Forbidden,
                "A tenant API key calls the data API at /v1/collections/...; /v1/tenants/{id}/collections/... takes a member's access token.");
            return;
        }

        if (context.Items[ApiKeyAuthenticationHandler.IdentityItem] is KeyIntrospectionResponse)
        {
            RecordForbidden(context);
            await ProblemResults.WriteAsync(context, ProblemCatalog.Forbidden,
                "A tenant API key cannot call the platform admin API; use an operator access token.");
            return;
        }

        if (context.Request.Headers.Authorization.Count > 0 && ApiKeyParser.Find(context.Request) is null
            && (await context.AuthenticateAsync(AdminJwt.SchemeName)).Succeeded)
        {
            RecordForbidden(context);
            await ProblemResults.WriteAsync(context, ProblemCatalog.Forbidden,
                "An operator access token cannot call the tenant API; use a tenant API key.");
            return;
        }

        await WriteUnauthorizedAsync(context);
    }

    // A 403 is audited like a 401 (reason 'forbidden'), with the key id when an API key was presented.
    private static void RecordForbidden(HttpContext context) =>
        context.RequestServices.GetRequiredService<AuthFailureLog>().Record(
            context, ForbiddenReason, (context.Items[ApiKeyAuthenticationHandler.IdentityItem] as KeyIntrospectionResponse)?.KeyId);

    /// <summary>The <c>auth.failed</c> reason of a 403: a valid credential that may not do this.</summary>
    public const string ForbiddenReason = "forbidden";

    /// <summary>
    /// The single 401 body of the gateway; a 429 instead once the client address has spent its budget for
    /// unauthenticated requests (a refusal not charged yet takes its token here); or a 503 when the key could
    /// not be checked because the control plane is away and the key's last known answer is older than the
    /// outage grace (the key may well be valid).
    /// </summary>
    public static Task WriteUnauthorizedAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.ContainsKey(ApiKeyAuthenticationHandler.UnavailableItem))
        {
            context.Response.Headers.RetryAfter = "5";
            return ProblemResults.WriteAsync(context, ProblemCatalog.ServiceUnavailable, "The credential cannot be checked right now; retry shortly.");
        }

        var refusal = context.Items[ApiKeyAuthenticationHandler.RefusalItem] as Refusal
            ?? new Refusal(context.Request.Headers.Authorization.Count > 0 ? "token" : "missing", null);
        var limits = context.RequestServices.GetRequiredService<AddressLimits>();
        if (!refusal.Charged)
        {
            var (admitted, retryAfter) = limits.TakeUnauthenticated(context);
            refusal = admitted ? refusal with { Charged = true } : refusal with { Reason = AddressLimits.RateLimitedReason, Charged = true, RetryAfterSeconds = retryAfter };
            context.Items[ApiKeyAuthenticationHandler.RefusalItem] = refusal;
        }

        context.RequestServices.GetRequiredService<AuthFailureLog>().Record(context, refusal.Reason, refusal.KeyId);
        if (refusal.Reason == AddressLimits.RateLimitedReason)
        {
            return AddressLimits.WriteTooManyAsync(context, limits.UnauthenticatedBurst, refusal.RetryAfterSeconds,
                "Too many requests without a valid credential from this address; retry after the number of seconds in Retry-After.");
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        return ProblemResults.WriteAsync(context, ProblemCatalog.Unauthorized, "The request carries no valid credential.");
    }
}
