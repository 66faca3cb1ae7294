namespace Piramid.Contracts.Admin;

/// <summary>
/// Body of <c>PATCH /v1/tenants/{id}/api-keys/{key_id}</c>: the fields to change; a field left out stays as it is.
/// <c>collections</c> null or empty means every collection; <c>expires_at</c> null removes the expiry. The role is
/// fixed at creation (docs/design/tenant-access.md): <c>role</c> may only repeat the key's own.
/// </summary>
/// <example>{"name": "search-service", "collections": ["movies", "series"], "expires_at": "2027-06-01T00:00:00Z"}</example>
public sealed class ApiKeyUpdateRequest
{
    private IReadOnlyList<string>? _collections;
    private DateTimeOffset? _expiresAt;
    private bool _namesCollections;
    private bool _namesExpiresAt;

    /// <summary>New display name.</summary>
    public string? Name { get; set; }

    /// <summary>The key's role; only its current value is accepted.</summary>
    public string? Role { get; set; }

    /// <summary>New collection scope (null or empty: all).</summary>
    public IReadOnlyList<string>? Collections
    {
        get => _collections;
        set
        {
            _collections = value;
            _namesCollections = true;
        }
    }

    /// <summary>New expiry (must be in the future), or null for none.</summary>
    public DateTimeOffset? ExpiresAt
    {
        get => _expiresAt;
        set
        {
            _expiresAt = value;
            _namesExpiresAt = true;
        }
    }

    // Methods, not properties: the wire type (and the OpenAPI document made from its properties) has only the fields.

    /// <summary>True when the body named <c>collections</c> (null included).</summary>
    public bool NamesCollections() => _namesCollections;

    /// <summary>True when the body named <c>expires_at</c> (null included).</summary>
    public bool NamesExpiresAt() => _namesExpiresAt;
}
