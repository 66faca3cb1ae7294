namespace Piramid.Contracts.Admin;

/// <summary>Body of the gateway's <c>POST /internal/v1/keys/introspect</c>: the key id and SHA-256 of its secret.</summary>
public sealed class KeyIntrospectionRequest
{
    /// <summary>Key id.</summary>
    public string? KeyId { get; set; }

    /// <summary>Base64 SHA-256 of the secret part (the secret itself never leaves the gateway).</summary>
    public string? SecretSha256 { get; set; }
}

/// <summary>A valid key's identity and limits.</summary>
public sealed class KeyIntrospectionResponse
{
    /// <summary>Key id.</summary>
    public required string KeyId { get; set; }

    /// <summary>Tenant.</summary>
    public required string TenantId { get; set; }

    /// <summary>Role.</summary>
    public required string Role { get; set; }

    /// <summary>Collection scope.</summary>
    public required IReadOnlyList<string> Collections { get; set; }

    /// <summary>When the answer stops being valid (expiry or end of rotation grace).</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>The tenant's plan.</summary>
    public required PlanInfo Plan { get; set; }
}

/// <summary>One row of the gateway's routing table.</summary>
public sealed class RouteInfo
{
    /// <summary>Tenant.</summary>
    public required string TenantId { get; set; }

    /// <summary>Engine base URL.</summary>
    public required string Endpoint { get; set; }

    /// <summary>Base64 HMAC secret for the signed identity header.</summary>
    public required string EngineSecret { get; set; }

    /// <summary>Engine state.</summary>
    public required string State { get; set; }
}

/// <summary>The routing table, with the change-feed position it reflects.</summary>
public sealed class RouteTable
{
    /// <summary>Routes of tenants whose engine runs.</summary>
    public required IReadOnlyList<RouteInfo> Routes { get; set; }

    /// <summary>Last change id included.</summary>
    public long Version { get; set; }
}

/// <summary>One change for the gateway to act on.</summary>
public sealed class ChangeInfo
{
    /// <summary>Monotonic id.</summary>
    public long Id { get; set; }

    /// <summary><c>key</c>, <c>tenant</c>, <c>route</c> or <c>plan</c>.</summary>
    public required string Kind { get; set; }

    /// <summary>Key id, tenant id or plan id.</summary>
    public required string Subject { get; set; }

    /// <summary>When.</summary>
    public DateTimeOffset Time { get; set; }
}

/// <summary>Body of <c>GET /internal/v1/changes</c>.</summary>
public sealed class ChangeList
{
    /// <summary>Changes after the requested id, oldest first.</summary>
    public required IReadOnlyList<ChangeInfo> Changes { get; set; }

    /// <summary>The id to pass as <c>after</c> next time.</summary>
    public long LastId { get; set; }
}
