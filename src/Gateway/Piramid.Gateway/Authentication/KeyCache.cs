using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
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
/// <remarks>
/// Evictions and introspections race: an answer the control plane gave before a revocation can arrive after
/// the change feed evicted the key. Every eviction bumps a generation under <see cref="_gate"/>, and an answer
/// is only stored if no eviction happened since its question was sent, so it serves the request that asked
/// but is never cached. While the control plane cannot be reached, an expired positive entry keeps serving for
/// <see cref="GatewayOptions.ControlPlaneOutageGrace"/> after it went stale (never past the key's own expiry).
/// </remarks>
public sealed partial class KeyCache(ControlPlaneClient controlPlane, IOptions<GatewayOptions> options, TimeProvider time, ILogger<KeyCache> logger)
{
    private readonly ConcurrentDictionary<string, Positive> _valid = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _invalid = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _generation;
    private long _lookups;

    /// <summary>Introspections that reached the control plane (tests check the caches work).</summary>
    public long Lookups => Interlocked.Read(ref _lookups);

    /// <summary>The key's identity, or why there is none.</summary>
    public async Task<KeyResolution> ResolveAsync(string keyId, byte[] secretHash, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var known = _valid.TryGetValue(keyId, out var entry) && CryptographicOperations.FixedTimeEquals(entry.SecretHash, secretHash) ? entry : null;
        if (known is not null && known.FreshUntil > now)
        {
            return KeyResolution.Valid(known.Identity);
        }

        var negativeKey = keyId + ":" + Convert.ToBase64String(secretHash);
        if (_invalid.TryGetValue(negativeKey, out var refusedUntil) && refusedUntil > now)
        {
            return KeyResolution.Invalid;
        }

        var generation = Volatile.Read(ref _generation);
        Interlocked.Increment(ref _lookups);
        KeyIntrospectionResponse? identity;
        try
        {
            identity = await controlPlane.IntrospectAsync(keyId, secretHash, cancellationToken);
        }
        catch (Exception e) when (IsOutage(e) && !cancellationToken.IsCancellationRequested)
        {
            var serves = known is not null && known.ServesDuringOutage(time.GetUtcNow(), options.Value.ControlPlaneOutageGrace);
            IntrospectionFailed(logger, keyId, e.GetType().Name, serves ? "serving its last known answer" : "no recent answer, refusing with 503");
            return serves ? KeyResolution.Valid(known!.Identity) : KeyResolution.ControlPlaneAway;
        }

        now = time.GetUtcNow();
        if (identity is null)
        {
            RememberInvalid(negativeKey, now);
            return KeyResolution.Invalid;
        }

        var fresh = now + options.Value.KeyCacheLifetime;
        if (identity.ExpiresAt is DateTimeOffset expires && expires < fresh)
        {
            fresh = expires;
        }

        lock (_gate)
        {
            if (generation == _generation)
            {
                _valid[keyId] = new Positive(secretHash, identity, fresh);
                _invalid.TryRemove(negativeKey, out _);
            }
        }

        return KeyResolution.Valid(identity);
    }

    /// <summary>
    /// The key's identity when a valid answer for this secret is cached: what is served without asking anyone,
    /// and so without taking from the client address's budget for unauthenticated work.
    /// </summary>
    public bool TryGetValid(string keyId, byte[] secretHash, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out KeyIntrospectionResponse? identity)
    {
        identity = _valid.TryGetValue(keyId, out var hit) && hit.FreshUntil > time.GetUtcNow() && CryptographicOperations.FixedTimeEquals(hit.SecretHash, secretHash)
            ? hit.Identity
            : null;
        return identity is not null;
    }

    /// <summary>Forgets one key (revoked, rotated).</summary>
    public void EvictKey(string keyId)
    {
        lock (_gate)
        {
            _generation++;
            _valid.TryRemove(keyId, out _);
        }

        // A rotated key's new secret may sit in the negative cache from an early attempt.
        foreach (var entry in _invalid.Keys.Where(k => k.StartsWith(keyId + ":", StringComparison.Ordinal)))
        {
            _invalid.TryRemove(entry, out _);
        }
    }

    /// <summary>Forgets every key of a tenant (suspended, deleted, plan changed).</summary>
    public void EvictTenant(string tenantId) => EvictWhere(identity => identity.TenantId == tenantId);

    /// <summary>Forgets every key on a plan.</summary>
    public void EvictPlan(string planId) => EvictWhere(identity => identity.Plan.Id == planId);

    private void EvictWhere(Func<KeyIntrospectionResponse, bool> match)
    {
        lock (_gate)
        {
            _generation++;
            foreach (var (keyId, entry) in _valid)
            {
                if (match(entry.Identity))
                {
                    _valid.TryRemove(keyId, out _);
                }
            }
        }
    }

    private void RememberInvalid(string negativeKey, DateTimeOffset now)
    {
        if (_invalid.Count >= options.Value.NegativeCacheSize)
        {
            foreach (var (key, until) in _invalid)
            {
                if (until <= now)
                {
                    _invalid.TryRemove(key, out _);
                }
            }
        }

        if (_invalid.Count < options.Value.NegativeCacheSize)
        {
            _invalid[negativeKey] = now + options.Value.NegativeCacheLifetime;
        }
    }

    // The control plane did not answer (refused, timed out, 5xx, token endpoint down, a broken body): not a
    // verdict on the key. A 404 is a verdict and never gets here.
    private static bool IsOutage(Exception e) => e is HttpRequestException or TaskCanceledException or TimeoutException or JsonException or InvalidOperationException;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Key {KeyId} could not be introspected ({Reason}): {Outcome}")]
    private static partial void IntrospectionFailed(ILogger logger, string keyId, string reason, string outcome);

    private sealed record Positive(byte[] SecretHash, KeyIntrospectionResponse Identity, DateTimeOffset FreshUntil)
    {
        /// <summary>True while the last good answer may stand in for the control plane: within the grace after it went stale, never past the key's expiry.</summary>
        public bool ServesDuringOutage(DateTimeOffset now, TimeSpan grace) =>
            now < FreshUntil + grace && (Identity.ExpiresAt is not DateTimeOffset expires || now < expires);
    }
}
