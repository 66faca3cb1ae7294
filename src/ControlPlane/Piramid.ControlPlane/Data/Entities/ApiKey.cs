namespace Piramid.ControlPlane.Data.Entities;

/// <summary>
/// A tenant API key <c>pk_&lt;id&gt;_&lt;secret&gt;</c>. Only a SHA-256 hash of the secret is stored;
/// the secret is shown once, at creation or rotation.
/// </summary>
public sealed class ApiKey
{
    /// <summary>Public key id (the part after <c>pk_</c>).</summary>
    public required string Id { get; set; }

    /// <summary>Owning tenant.</summary>
    public required string TenantId { get; set; }

    /// <summary>Display name.</summary>
    public required string Name { get; set; }

    /// <summary><c>admin</c>, <c>read_write</c> or <c>read_only</c>.</summary>
    public required string Role { get; set; }

    /// <summary>Collection scope; empty means every collection.</summary>
    public List<string> Collections { get; set; } = [];

    /// <summary>SHA-256 of the secret.</summary>
    public required byte[] SecretHash { get; set; }

    /// <summary>SHA-256 of the secret before the last rotation, valid until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public byte[]? PreviousSecretHash { get; set; }

    /// <summary>End of the rotation grace period.</summary>
    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }

    /// <summary>Optional expiry.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Set when revoked.</summary>
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Last rotation.</summary>
    public DateTimeOffset? RotatedAt { get; set; }

    /// <summary>Last use through the gateway, to the minute; only ever moved forward.</summary>
    public DateTimeOffset? LastUsedAt { get; set; }
}
