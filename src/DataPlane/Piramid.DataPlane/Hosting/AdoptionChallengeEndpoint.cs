using Piramid.Contracts.Identity;
using Piramid.Contracts.Problems;
using Piramid.DataPlane.Security;

namespace Piramid.DataPlane.Hosting;

/// <summary>
/// <c>GET /health/challenge?nonce=</c>: proves to a restarted control plane that this process holds the
/// tenant's engine secret before it is adopted (docs/design/internal-auth.md). Unsigned like the other
/// health routes: the answer is a MAC under a key derived for this purpose only.
/// </summary>
public static class AdoptionChallengeEndpoint
{
    /// <summary>Maps the challenge route.</summary>
    public static WebApplication MapAdoptionChallenge(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(AdoptionChallenge.Path, context =>
        {
            // Resolved per request: the settings come from the key file, read when the host starts.
            var settings = context.RequestServices.GetRequiredService<InternalAuthSettings>();
            var nonce = context.Request.Query[AdoptionChallenge.NonceParameter].ToString();
            var result = AdoptionChallenge.IsValidNonce(nonce)
                ? Results.Text(AdoptionChallenge.Answer(settings.Secret, settings.TenantId, nonce))
                : Results.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    type: ProblemTypes.InvalidRequest,
                    title: "Invalid challenge",
                    detail: $"'{AdoptionChallenge.NonceParameter}' must be {AdoptionChallenge.NonceHexLength} lowercase hex characters.");
            return result.ExecuteAsync(context);
        });
        return app;
    }
}
