using Microsoft.AspNetCore.Authorization;
using Piramid.Contracts.Problems;

namespace Piramid.ControlPlane.Access;

/// <summary>Why <see cref="TenantAccessHandler"/> refused: the problem to answer (404 for another tenant, else 403).</summary>
public sealed class TenantAccessRefusal(IAuthorizationHandler handler, ProblemKind kind, string detail)
    : AuthorizationFailureReason(handler, detail)
{
    /// <summary>The problem's kind.</summary>
    public ProblemKind Kind { get; } = kind;
}
