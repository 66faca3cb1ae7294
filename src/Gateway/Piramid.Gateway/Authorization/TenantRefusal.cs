using Microsoft.AspNetCore.Authorization;
using Piramid.Contracts.Problems;

namespace Piramid.Gateway.Authorization;

/// <summary>Why a tenant's valid key may not make this call: the problem the 403 carries.</summary>
/// <param name="handler">The requirement that refused.</param>
/// <param name="rank">Lower answers first when several requirements refuse (a suspended tenant hears that first).</param>
/// <param name="kind">The catalogue entry the 403 answers with.</param>
/// <param name="detail">What the caller may not do.</param>
public sealed class TenantRefusal(IAuthorizationHandler handler, int rank, ProblemKind kind, string detail) : AuthorizationFailureReason(handler, detail)
{
    /// <summary>Lower answers first.</summary>
    public int Rank { get; } = rank;

    /// <summary>The catalogue entry the 403 answers with.</summary>
    public ProblemKind Kind { get; } = kind;
}
