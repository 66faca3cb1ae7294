using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Keys;

/// <summary>What the gateway learns about a valid key: who it is, what it may do, and the tenant's plan.</summary>
/// <param name="KeyId">The key id (the principal in audit logs).</param>
/// <param name="TenantId">Its tenant.</param>
/// <param name="Role">admin, read_write or read_only.</param>
/// <param name="Collections">Collection scope; empty means all.</param>
/// <param name="ExpiresAt">When it stops working (the key's expiry, or the end of a rotation grace period).</param>
/// <param name="Plan">The tenant's plan (rate limits and quotas).</param>
public sealed record KeyIntrospection(string KeyId, string TenantId, string Role, IReadOnlyList<string> Collections, DateTimeOffset? ExpiresAt, Plan Plan, bool TenantSuspended);
