using OpenIddict.Abstractions;

namespace Piramid.ControlPlane.Accounts;

/// <summary>Revokes every refresh token, authorization code and authorization of a user (password change).</summary>
public sealed class UserTokens(IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations)
{
    /// <summary>Revokes all; returns how many tokens were revoked. Access tokens already issued live until <c>exp</c>.</summary>
    public async Task<long> RevokeAllAsync(Guid userId, CancellationToken cancellationToken)
    {
        var subject = userId.ToString();
        await authorizations.RevokeBySubjectAsync(subject, cancellationToken);
        return await tokens.RevokeBySubjectAsync(subject, cancellationToken);
    }
}
