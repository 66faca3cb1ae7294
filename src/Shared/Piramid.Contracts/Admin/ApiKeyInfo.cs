using System.ComponentModel.DataAnnotations;
namespace Piramid.Contracts.Admin;

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
    [AllowedValues("admin", "read_write", "read_only")]
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

    /// <summary>Last time the key authenticated a request at the gateway, to the minute (null: never). Reported in batches, so it can lag by one report interval.</summary>
    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>The full key, returned only by create and rotate. Store it: it cannot be shown again.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Key { get; set; }
}
