using System.ComponentModel.DataAnnotations;
namespace Piramid.Contracts.Admin;

/// <summary>Body of <c>POST /v1/tenants/{id}/api-keys</c>.</summary>
/// <example>{"name": "search-service", "role": "read_only", "collections": ["movies"], "expires_at": "2027-01-01T00:00:00Z"}</example>
public sealed class ApiKeyCreateRequest
{
    /// <summary>Display name.</summary>
    public string? Name { get; set; }

    /// <summary><c>admin</c>, <c>read_write</c> or <c>read_only</c>.</summary>
    [AllowedValues("admin", "read_write", "read_only")]
    public string? Role { get; set; }

    /// <summary>Optional collection scope.</summary>
    public IReadOnlyList<string>? Collections { get; set; }

    /// <summary>Optional expiry (must be in the future).</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
}
