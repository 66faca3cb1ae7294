using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Access;

/// <summary>Answers a refusal of <see cref="TenantAccessHandler"/> with the problem it names; everything else as ASP.NET does.</summary>
public sealed class TenantAccessResults : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    /// <inheritdoc />
    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailureReasons.OfType<TenantAccessRefusal>().FirstOrDefault() is { } refusal)
        {
            return ProblemResults.WriteAsync(context, refusal.Kind, refusal.Message);
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
