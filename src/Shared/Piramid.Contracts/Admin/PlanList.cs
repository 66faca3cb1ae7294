namespace Piramid.Contracts.Admin;

/// <summary>Body of <c>GET /v1/plans</c>.</summary>
public sealed class PlanList
{
    /// <summary>Plans by id.</summary>
    public required IReadOnlyList<PlanInfo> Plans { get; set; }
}
