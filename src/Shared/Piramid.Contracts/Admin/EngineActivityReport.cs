namespace Piramid.Contracts.Admin;

/// <summary>
/// The gateway's report of the tenants whose engines received a data request since its previous report: their
/// idle time (the plan's <c>hibernate_after_seconds</c>) starts again.
/// </summary>
public sealed class EngineActivityReport
{
    /// <summary>Tenant ids.</summary>
    public IReadOnlyList<string> Tenants { get; set; } = [];
}
