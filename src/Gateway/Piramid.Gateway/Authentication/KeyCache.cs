using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Piramid.Contracts.Admin;

namespace Piramid.Gateway.Authentication;

/// <summary>
/// Remembers introspection answers so the control plane is asked once per key and lifetime, not once per
/// request. A positive entry holds the secret's hash and is compared in constant time; a negative entry
/// (bounded in number) makes a flood of invalid keys cost nothing upstream. The change feed evicts keys
/// and tenants the moment they change. Both caches are bounded (<see cref="GatewayOptions.KeyCacheSize"/>,
/// <see cref="GatewayOptions.NegativeCacheSize"/>).
/// </summary>
/// <remarks>
/// <para>
/// Single flight: requests that miss on the same key and secret while its introspection is out wait for that one
/// answer instead of asking again, so a burst of a new key's first requests (or of every key once a lifetime
/// ends) costs the control plane one call per key, not one per request.
/// </para>
/// <para>
/// Evictions and introspections race: an answer the control plane gave before a revocation can arrive after
/// the change feed evicted the key. Every eviction bumps a generation under <see cref="_gate"/> and drops the
/// questions in flight, and an answer is only stored if no eviction happened since its question was sent, so it
/// serves the requests that were waiting for it but is never cached nor handed to a request that came after.
/// An answer carries the change-feed id it already reflects (<see cref="KeyIntrospectionResponse.ChangesThrough"/>):
/// an eviction for an event at or below it leaves it be, and so does the race rule, so a key's first answer survives
/// the late arrival of its own creation's events (which, dropped, left the key refused during an outage).
/// While the control plane cannot be reached, an expired positive entry keeps serving for
/// <see cref="GatewayOptions.ControlPlaneOutageGrace"/> after it went stale (never past the key's own expiry).
/// </para>
/// <para>
/// Not <c>HybridCache</c>: it cannot refuse to store an answer that lost the race with a revocation, nor serve a
/// stale entry while the control plane is away, and it would copy every identity on every hit.
/// </para>
/// </remarks>
public sealed partial class KeyCache(IKeyIntrospector controlPlane, IOptions<GatewayOptions> options, TimeProvider time, ILogger<KeyCache> logger)
{
    private readonly ConcurrentDictionary<string, Positive> _valid = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _invalid = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<KeyIntrospectionResponse?>> _flights = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _generation;
    private long _evictedThrough;
    private long _lookups;

    /// <summary>Introspections that reached the control plane (tests check the caches work).</summary>
    public long Lookups => Interlocked.Read(ref _lookups);

    /// <summary>Valid keys remembered now.</summary>
    public int Count => _valid.Count;

    /// <summary>The key's identity, or why there is none.</summary>
    public async Task<KeyResolution> ResolveAsync(string keyId, byte[] secretHash, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var known = _valid.TryGetValue(keyId, out var entry) && CryptographicOperations.FixedTimeEquals(entry.SecretHash, secretHash) ? entry : null;
        if (known is not null && known.FreshUntil > now)
        {
            return KeyResolution.Valid(known.Identity);
        }

        var question = keyId + ":" + Convert.ToBase64String(secretHash);
        if (_invalid.TryGetValue(question, out var refusedUntil) && refusedUntil > now)
        {
            return KeyResolution.Invalid;
        }

        KeyIntrospectionResponse? identity;
        try
        {
            identity = await Ask(question, keyId, secretHash).WaitAsync(cancellationToken);
        }
        catch (Exception e) when (IsOutage(e) && !cancellationToken.IsCancellationRequested)
        {
            var serves = known is not null && known.ServesDuringOutage(time.GetUtcNow(), options.Value.ControlPlaneOutageGrace);
            IntrospectionFailed(logger, keyId, e.GetType().Name, serves ? "serving its last known answer" : "no recent answer, refusing with 503");
            return serves ? KeyResolution.Valid(known!.Identity) : KeyResolution.ControlPlaneAway;
        }

        return identity is null ? KeyResolution.Invalid : KeyResolution.Valid(identity);
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

    /// <summary>Forgets one key (revoked, rotated) unless its answer already reflects change <paramref name="changeId"/>.</summary>
    public void EvictKey(string keyId, long changeId)
    {
        var prefix = keyId + ":";
        lock (_gate)
        {
            Evicting(changeId);
            if (_valid.TryGetValue(keyId, out var entry) && entry.Identity.ChangesThrough < changeId)
            {
                _valid.TryRemove(keyId, out _);
            }

            RemoveWhere(_flights, prefix);
        }

        // A rotated key's new secret may sit in the negative cache from an early attempt.
        RemoveWhere(_invalid, prefix);
    }

    /// <summary>Forgets every key of a tenant (suspended, deleted, plan changed) whose answer predates change <paramref name="changeId"/>.</summary>
    public void EvictTenant(string tenantId, long changeId) => EvictWhere(identity => identity.TenantId == tenantId, changeId);

    /// <summary>Forgets every key on a plan whose answer predates change <paramref name="changeId"/>.</summary>
    public void EvictPlan(string planId, long changeId) => EvictWhere(identity => identity.Plan.Id == planId, changeId);

    private void EvictWhere(Func<KeyIntrospectionResponse, bool> match, long changeId)
    {
        lock (_gate)
        {
            Evicting(changeId);
            foreach (var (keyId, entry) in _valid)
            {
                if (entry.Identity.ChangesThrough < changeId && match(entry.Identity))
                {
                    _valid.TryRemove(keyId, out _);
                }
            }

            // Whose tenant a question in flight is about is only known from its answer: a later request asks anew.
            _flights.Clear();
        }
    }

    // Under the gate: questions out now may come back with answers from before this change.
    private void Evicting(long changeId)
    {
        _generation++;
        _evictedThrough = Math.Max(_evictedThrough, changeId);
    }

    // The question in flight for this key and secret, or a new one. It carries no caller's cancellation: it serves
    // every request waiting on it, and the introspection timeout bounds it.
    private Task<KeyIntrospectionResponse?> Ask(string question, string keyId, byte[] secretHash)
    {
        if (_flights.TryGetValue(question, out var pending))
        {
            return pending;
        }

        var answer = new TaskCompletionSource<KeyIntrospectionResponse?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var flight = _flights.GetOrAdd(question, answer.Task);
        if (flight == answer.Task)
        {
            _ = FlyAsync(question, keyId, secretHash, answer);
        }

        return flight;
    }

    private async Task FlyAsync(string question, string keyId, byte[] secretHash, TaskCompletionSource<KeyIntrospectionResponse?> answer)
    {
        var generation = Volatile.Read(ref _generation);
        Interlocked.Increment(ref _lookups);
        try
        {
            var identity = await controlPlane.IntrospectAsync(keyId, secretHash, CancellationToken.None);
            Remember(question, keyId, secretHash, identity, generation);
            answer.SetResult(identity);
        }
        catch (Exception e)
        {
            answer.SetException(e);
            // Observed here: when every waiting request was cancelled, nobody else reads it.
            _ = answer.Task.Exception;
        }
        finally
        {
            _flights.TryRemove(new KeyValuePair<string, Task<KeyIntrospectionResponse?>>(question, answer.Task));
        }
    }

    private void Remember(string question, string keyId, byte[] secretHash, KeyIntrospectionResponse? identity, long generation)
    {
        var now = time.GetUtcNow();
        if (identity is null)
        {
            RememberInvalid(question, now);
            return;
        }

        var fresh = now + options.Value.KeyCacheLifetime;
        if (identity.ExpiresAt is DateTimeOffset expires && expires < fresh)
        {
            fresh = expires;
        }

        lock (_gate)
        {
            // No eviction since the question, or the answer already reflects every change evicted for so far.
            if (generation == _generation || identity.ChangesThrough >= _evictedThrough)
            {
                if (!_valid.ContainsKey(keyId) && _valid.Count >= options.Value.KeyCacheSize)
                {
                    MakeRoom(now);
                }

                _valid[keyId] = new Positive(secretHash, identity, fresh);
                _invalid.TryRemove(question, out _);
            }
        }
    }

    // Called under the gate when the positive cache is full: first what could not serve even an outage, then, if
    // every entry still could, a tenth of them taken arbitrarily (so the next inserts do not each walk the table).
    private void MakeRoom(DateTimeOffset now)
    {
        var size = options.Value.KeyCacheSize;
        foreach (var (keyId, entry) in _valid)
        {
            if (!entry.ServesDuringOutage(now, options.Value.ControlPlaneOutageGrace))
            {
                _valid.TryRemove(keyId, out _);
            }
        }

        if (_valid.Count >= size)
        {
            foreach (var keyId in _valid.Keys.Take(Math.Max(1, size / 10)))
            {
                _valid.TryRemove(keyId, out _);
            }
        }
    }

    private void RememberInvalid(string question, DateTimeOffset now)
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
            _invalid[question] = now + options.Value.NegativeCacheLifetime;
        }
    }

    private static void RemoveWhere<TValue>(ConcurrentDictionary<string, TValue> entries, string prefix)
    {
        foreach (var key in entries.Keys)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                entries.TryRemove(key, out _);
            }
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
