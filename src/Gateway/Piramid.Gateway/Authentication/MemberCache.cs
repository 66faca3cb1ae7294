using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Piramid.Contracts.Admin;
using Piramid.Gateway.ControlPlane;

namespace Piramid.Gateway.Authentication;

/// <summary>
/// Remembers a person's standing in a tenant for the data API (<c>/v1/tenants/{id}/collections/...</c>), for
/// <see cref="GatewayOptions.MemberCacheLifetime"/>, bounded by <see cref="GatewayOptions.MemberCacheSize"/>. Only
/// memberships are remembered: a refusal is asked again, so a person invited a moment ago is let in at once. The
/// change feed drops a membership the moment it changes; as in <see cref="KeyCache"/>, an answer that was asked
/// before an eviction is used for its own request but never stored, and an answer that already reflects the change
/// an eviction is for (<see cref="KeyIntrospectionResponse.ChangesThrough"/>) stays.
/// </summary>
public sealed class MemberCache(ControlPlaneClient controlPlane, IOptions<GatewayOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _generation;
    private long _evictedThrough;

    /// <summary>The member's identity in the tenant, or null when they are not a member; throws when the control plane does not answer.</summary>
    public async Task<KeyIntrospectionResponse?> ResolveAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        var subject = Subject(tenantId, userId);
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(subject, out var hit) && hit.FreshUntil > now)
        {
            return hit.Identity;
        }

        var generation = Volatile.Read(ref _generation);
        var identity = await controlPlane.IntrospectMemberAsync(tenantId, userId, cancellationToken);
        lock (_gate)
        {
            if (identity is null)
            {
                _entries.TryRemove(subject, out _);
            }
            else if (generation == _generation || identity.ChangesThrough >= _evictedThrough)
            {
                if (!_entries.ContainsKey(subject) && _entries.Count >= options.Value.MemberCacheSize)
                {
                    MakeRoom(time.GetUtcNow());
                }

                _entries[subject] = new Entry(identity, time.GetUtcNow() + options.Value.MemberCacheLifetime);
            }
        }

        return identity;
    }

    /// <summary>
    /// Forgets one membership whose answer predates change <paramref name="changeId"/>; <paramref name="subject"/> is
    /// the change feed's <c>{tenant id}/{user id}</c>.
    /// </summary>
    public void EvictMember(string subject, long changeId) => Evict((key, _) => key == subject, changeId);

    /// <summary>Forgets every membership of a tenant (suspended, deleted, plan changed) whose answer predates the change.</summary>
    public void EvictTenant(string tenantId, long changeId) => Evict((key, _) => key.StartsWith(tenantId + "/", StringComparison.Ordinal), changeId);

    /// <summary>Forgets every membership of tenants on a plan whose answer predates the change.</summary>
    public void EvictPlan(string planId, long changeId) => Evict((_, identity) => identity.Plan.Id == planId, changeId);

    private void Evict(Func<string, KeyIntrospectionResponse, bool> match, long changeId)
    {
        lock (_gate)
        {
            _generation++;
            _evictedThrough = Math.Max(_evictedThrough, changeId);
            foreach (var (key, entry) in _entries)
            {
                if (entry.Identity.ChangesThrough < changeId && match(key, entry.Identity))
                {
                    _entries.TryRemove(key, out _);
                }
            }
        }
    }

    // Under the gate, when full: the expired first, then a tenth taken arbitrarily.
    private void MakeRoom(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.FreshUntil <= now)
            {
                _entries.TryRemove(key, out _);
            }
        }

        if (_entries.Count >= options.Value.MemberCacheSize)
        {
            foreach (var key in _entries.Keys.Take(Math.Max(1, options.Value.MemberCacheSize / 10)))
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    private static string Subject(string tenantId, string userId) => tenantId + "/" + userId;

    private sealed record Entry(KeyIntrospectionResponse Identity, DateTimeOffset FreshUntil);
}
