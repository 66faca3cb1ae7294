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

/// <summary>Body of <c>POST /v1/tenants/{id}/api-keys/{key_id}/rotate</c>.</summary>
public sealed class ApiKeyRotateRequest
{
    /// <summary>How long the old secret keeps working (0 to 30 days; default 0).</summary>
    public int? GracePeriodSeconds { get; set; }
}

/// <summary>An API key without its secret, or with it (<see cref="Key"/>) once, at creation or rotation.</summary>
public sealed class ApiKeyInfo
{
    /// <summary>Key id.</summary>
    public required string Id { get; set; }

    /// <summary>Tenant.</summary>
    public required string TenantId { get; set; }

    /// <summary>Name.</summary>
    public required string Name { get; set; }

    /// <summary>Role.</summary>
    public required string Role { get; set; }

    /// <summary>Collection scope (empty: all).</summary>
    public required IReadOnlyList<string> Collections { get; set; }

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Expiry.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Revocation time.</summary>
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>Last rotation.</summary>
    public DateTimeOffset? RotatedAt { get; set; }

    /// <summary>End of the old secret's grace period after a rotation.</summary>
    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }

    /// <summary>The full key, returned only by create and rotate. Store it: it cannot be shown again.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Key { get; set; }
}

/// <summary>Body of <c>GET /v1/tenants/{id}/api-keys</c>.</summary>
public sealed class ApiKeyList
{
    /// <summary>Keys, newest first.</summary>
    public required IReadOnlyList<ApiKeyInfo> ApiKeys { get; set; }
}
