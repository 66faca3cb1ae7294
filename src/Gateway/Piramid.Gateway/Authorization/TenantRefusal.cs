using Microsoft.AspNetCore.Authorization;

namespace Piramid.Gateway.Authorization;

/// <summary>Why a tenant's valid key may not make this call: the problem the 403 carries.</summary>
/// <param name="handler">The requirement that refused.</param>
/// <param name="rank">Lower answers first when several requirements refuse (a suspended tenant hears that first).</param>
/// <param name="type">Problem type (Piramid.Contracts.Problems).</param>
/// <param name="title">Problem title.</param>
/// <param name="detail">What the caller may not do.</param>
public sealed class TenantRefusal(IAuthorizationHandler handler, int rank, string type, string title, string detail) : AuthorizationFailureReason(handler, detail)
{
    /// <summary>Lower answers first.</summary>
    public int Rank { get; } = rank;

    /// <summary>Problem type.</summary>
    public string Type { get; } = type;

    /// <summary>Problem title.</summary>
    public string Title { get; } = title;
}
