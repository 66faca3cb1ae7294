namespace Piramid.Contracts.Admin;

/// <summary>Body of <c>POST /v1/tenants/{id}/api-keys/{key_id}/rotate</c>.</summary>
/// <example>{"grace_period_seconds": 3600}</example>
public sealed class ApiKeyRotateRequest
{
    /// <summary>How long the old secret keeps working (0 to 30 days; default 0).</summary>
    public int? GracePeriodSeconds { get; set; }
}
