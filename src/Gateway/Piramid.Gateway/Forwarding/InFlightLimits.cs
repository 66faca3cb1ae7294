using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Piramid.Gateway.Forwarding;

/// <summary>
/// Requests in flight per tenant, bounded by the tenant's plan (<c>max_requests_in_flight</c>), or by
/// <see cref="GatewayOptions.MaxConcurrentRequestsPerTenant"/> when the plan does not say: a rate limit
/// counts arrivals, not what is still running, so slow searches or slow readers of a tenant could otherwise hold
/// every connection and buffer its engine has. A request counts from admission until its answer is sent whole.
/// </summary>
public sealed class InFlightLimits(IOptions<GatewayOptions> options)
{
    // One counter per tenant that ever sent a request: bounded by the number of tenants, and a removal racing an
    // increment would lose a count.
    private readonly ConcurrentDictionary<string, Counter> _inFlight = new(StringComparer.Ordinal);

    /// <summary>Requests of the tenant in flight now.</summary>
    public int InFlight(string tenantId) => _inFlight.TryGetValue(tenantId, out var count) ? Volatile.Read(ref count.Value) : 0;

    /// <summary>Requests of the tenant admitted since the start (tests tell a request that ended from one not begun).</summary>
    public long Admitted(string tenantId) => _inFlight.TryGetValue(tenantId, out var count) ? Interlocked.Read(ref count.Total) : 0;

    /// <summary>
    /// Counts one more request unless the tenant is at its limit: <paramref name="planLimit"/> (the plan's
    /// <c>max_requests_in_flight</c>), or the option when the plan does not carry one.
    /// </summary>
    public bool TryEnter(string tenantId, int? planLimit = null)
    {
        var limit = planLimit ?? options.Value.MaxConcurrentRequestsPerTenant;
        var count = _inFlight.GetOrAdd(tenantId, static _ => new Counter());
        if (Interlocked.Increment(ref count.Value) <= limit)
        {
            Interlocked.Increment(ref count.Total);
            return true;
        }

        Interlocked.Decrement(ref count.Value);
        return false;
    }

    /// <summary>Ends a request counted by <see cref="TryEnter"/>.</summary>
    public void Exit(string tenantId)
    {
        if (_inFlight.TryGetValue(tenantId, out var count))
        {
            Interlocked.Decrement(ref count.Value);
        }
    }

    private sealed class Counter
    {
        // Fields, for Interlocked.
        public int Value;
        public long Total;
    }
}
