using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Piramid.Contracts.Admin;
using Piramid.Gateway.ControlPlane;

namespace Piramid.Gateway.Authentication;

/// <summary>
/// Remembers introspection answers so the control plane is asked once per key and lifetime, not once per
/// request. A positive entry holds the secret's hash and is compared in constant time; a negative entry
/// (bounded in number) makes a flood of invalid keys cost nothing upstream. The change feed evicts keys
/// and tenants the moment they change.
/// </summary>
public sealed class KeyCache(ControlPlaneClient controlPlane, IOptions<GatewayOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Positive> _valid = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _invalid = new(StringComparer.Ordinal);

    /// <summary>Introspections that reached the control plane (tests check the caches work).</summary>
    public long Lookups => Interlocked.Read(ref _lookups);

    private long _lookups;

    /// <summary>The key's identity, or null when it is not valid.</summary>
    public async Task<KeyIntrospectionResponse?> ResolveAsync(string keyId, byte[] secretHash, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_valid.TryGetValue(keyId, out var hit) && hit.Until > now && CryptographicOperations.FixedTimeEquals(hit.SecretHash, secretHash))
        {
            return hit.Identity;
        }

        var negativeKey = keyId + ":" + Convert.ToBase64String(secretHash);
        if (_invalid.TryGetValue(negativeKey, out var refusedUntil) && refusedUntil > now)
        {
            return null;
        }

        Interlocked.Increment(ref _lookups);
        var identity = await controlPlane.IntrospectAsync(keyId, secretHash, cancellationToken);
        if (identity is null)
        {
            if (_invalid.Count >= options.Value.NegativeCacheSize)
            {
                Sweep(now);
            }

            if (_invalid.Count < options.Value.NegativeCacheSize)
            {
                _invalid[negativeKey] = now + options.Value.NegativeCacheLifetime;
            }

            return null;
        }

        var until = now + options.Value.KeyCacheLifetime;
        if (identity.ExpiresAt is DateTimeOffset expires && expires < until)
        {
            until = expires;
        }

        _valid[keyId] = new Positive(secretHash, identity, until);
        _invalid.TryRemove(negativeKey, out _);
        return identity;
    }

    /// <summary>
    /// The key's identity when a valid answer for this secret is cached: what is served without asking anyone,
    /// and so without taking from the client address's budget for unauthenticated work.
    /// </summary>
    public bool TryGetValid(string keyId, byte[] secretHash, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out KeyIntrospectionResponse? identity)
    {
        identity = _valid.TryGetValue(keyId, out var hit) && hit.Until > time.GetUtcNow() && CryptographicOperations.FixedTimeEquals(hit.SecretHash, secretHash)
            ? hit.Identity
            : null;
        return identity is not null;
    }

    /// <summary>Forgets one key (revoked, rotated).</summary>
    public void EvictKey(string keyId)
    {
        _valid.TryRemove(keyId, out _);
        // A rotated key's new secret may sit in the negative cache from an early attempt.
        foreach (var entry in _invalid.Keys.Where(k => k.StartsWith(keyId + ":", StringComparison.Ordinal)))
        {
            _invalid.TryRemove(entry, out _);
        }
    }

    /// <summary>Forgets every key of a tenant (suspended, deleted, plan changed).</summary>
    public void EvictTenant(string tenantId)
    {
        foreach (var (keyId, entry) in _valid)
        {
            if (entry.Identity.TenantId == tenantId)
            {
                _valid.TryRemove(keyId, out _);
            }
        }
    }

    /// <summary>Forgets every key on a plan.</summary>
    public void EvictPlan(string planId)
    {
        foreach (var (keyId, entry) in _valid)
        {
            if (entry.Identity.Plan.Id == planId)
            {
                _valid.TryRemove(keyId, out _);
            }
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, until) in _invalid)
        {
            if (until <= now)
            {
                _invalid.TryRemove(key, out _);
            }
        }
    }

    private sealed record Positive(byte[] SecretHash, KeyIntrospectionResponse Identity, DateTimeOffset Until);
}
