namespace Piramid.Contracts.Admin;

/// <summary>Body of <c>PATCH /v1/tenants/{id}</c>: the fields to change.</summary>
/// <example>{"plan": "pro"}</example>
public sealed class TenantUpdateRequest
{
    /// <summary>New name.</summary>
    public string? Name { get; set; }

    /// <summary>New plan id; its limits reach the engine at once.</summary>
    public string? Plan { get; set; }
}
