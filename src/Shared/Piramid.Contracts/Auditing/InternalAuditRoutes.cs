namespace Piramid.Contracts.Auditing;

/// <summary>Paths of the engine's internal audit API, called by the control plane only.</summary>
public static class InternalAuditRoutes
{
    /// <summary><c>GET</c>: entries after a sequence (query <c>after</c>, <c>limit</c>), with the head.</summary>
    public const string Entries = "/internal/v1/audit";

    /// <summary>Largest page the engine answers.</summary>
    public const int MaxLimit = 1000;
}
