namespace Piramid.Contracts.Admin;

/// <summary>Body of <c>POST /v1/tenants/{id}/api-keys</c>.</summary>
public sealed class ApiKeyCreateRequest
{
    /// <summary>Display name.</summary>
    public string? Name { get; set; }

    /// <summary><c>admin</c>, <c>read_write</c> or <c>read_only</c>.</summary>
    public string? Role { get; set; }

    /// <summary>Optional collection scope.</summary>
    public IReadOnlyList<string>? Collections { get; set; }

    /// <summary>Optional expiry (must be in the future).</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
}
