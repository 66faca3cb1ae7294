namespace Piramid.Contracts.Admin;

/// <summary>Body of <c>POST /v1/tenants</c>.</summary>
/// <example>{"name": "acme", "plan": "free"}</example>
public sealed class TenantCreateRequest
{
    /// <summary>Unique name: 1-63 lower-case letters, digits, '_' or '-'.</summary>
    public string? Name { get; set; }

    /// <summary>Plan id (default <c>free</c>).</summary>
    public string? Plan { get; set; }
}
