using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Piramid.Contracts;
using Piramid.Contracts.Identity;
using Piramid.Contracts.Problems;

namespace Piramid.DataPlane.Security;

/// <summary>
/// Admits only requests carrying an identity signed for this engine: valid HMAC, this tenant, this
/// method and path, fresh, and never seen before (docs/design/internal-auth.md). Every failure gets
/// the same 401 body, so a prober learns nothing about which check failed. Health probes are exempt.
/// </summary>
public sealed class InternalAuthMiddleware(RequestDelegate next, InternalAuthSettings settings, ReplayCache replays, TimeProvider time)
{
    /// <summary>Key of the verified identity in <see cref="HttpContext.Items"/>.</summary>
    public const string ItemKey = "piramid.identity";

    /// <summary>Checks the header, then calls the next middleware.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.Path.StartsWithSegments("/health"))
        {
            await next(context);
            return;
        }

        var header = context.Request.Headers[HeaderNames.Identity].ToString();
        if (!TryAuthenticate(header, context.Request, out var identity))
        {
            await Results.Problem(
                    statusCode: StatusCodes.Status401Unauthorized,
                    type: ProblemTypes.Unauthorized,
                    title: "Unauthorized",
                    detail: "The request carries no valid credential.")
                .ExecuteAsync(context);
            return;
        }

        context.Items[ItemKey] = identity;
        context.User = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, identity!.Principal), new Claim(ClaimTypes.Role, identity.Role)],
            "piramid-internal"));
        await next(context);
    }

    /// <summary>The path exactly as sent (still percent-encoded), which is what the gateway signs.</summary>
    internal static string RawPath(HttpRequest request)
    {
        var raw = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw))
        {
            return request.Path.Value ?? "/";
        }

        var query = raw.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? raw : raw[..query];
    }

    private bool TryAuthenticate(string header, HttpRequest request, out InternalIdentity? identity)
    {
        if (!InternalIdentitySigner.TryVerify(header, settings.Secret, out identity) || identity is null)
        {
            return false;
        }

        var age = Math.Abs(time.GetUtcNow().ToUnixTimeMilliseconds() - identity.IssuedAtUnixMs);
        return age <= settings.MaxAge.TotalMilliseconds
            && string.Equals(identity.TenantId, settings.TenantId, StringComparison.Ordinal)
            && string.Equals(identity.Method, request.Method, StringComparison.OrdinalIgnoreCase)
            && string.Equals(identity.Path, RawPath(request), StringComparison.Ordinal)
            && Roles.IsKnown(identity.Role)
            && identity.Nonce.Length >= 16
            && replays.TryAccept(identity.Nonce);
    }
}
