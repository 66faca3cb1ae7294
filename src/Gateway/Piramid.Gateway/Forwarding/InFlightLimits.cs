using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Piramid.Gateway.Forwarding;

/// <summary>
/// Requests in flight per tenant, bounded by the tenant's plan (<c>max_requests_in_flight</c>), or by
/// <see cref="GatewayOptions.MaxConcurrentRequestsPerTenant"/> when the plan does not say: a rate limit
/// counts arrivals, not what is still running, so slow searches or slow readers of a tenant could otherwise hold
/// every connection and buffer its engine has. A request counts from admission until its answer is sent whole.
/// <para>
/// Past the limit a request waits for a slot, first come first served, for at most
/// <see cref="GatewayOptions.InFlightQueueWait"/> and with at most as many waiting as the limit; then 429. Waiting
/// costs no CPU, refusing does: a tenant whose clients retry a 429 at once made the gateway answer thousands of
/// refusals a second, and every other tenant's requests queued behind them (noisy benchmark, docs/design/gateway.md).
/// </para>
/// </summary>
public sealed class InFlightLimits(IOptions<GatewayOptions> options, TimeProvider time)
{
    // One counter per tenant that ever sent a request: bounded by the number of tenants, and a removal racing an
    // increment would lose a count.
    private readonly ConcurrentDictionary<string, Counter> _inFlight = new(StringComparer.Ordinal);

    /// <summary>Requests of the tenant in flight now.</summary>
    public int InFlight(string tenantId) => _inFlight.TryGetValue(tenantId, out var count) ? Volatile.Read(ref count.Value) : 0;

    /// <summary>Requests of the tenant waiting for a slot now.</summary>
    public int Waiting(string tenantId)
    {
        if (!_inFlight.TryGetValue(tenantId, out var count))
        {
            return 0;
        }

        lock (count)
        {
            return count.Waiters.Count;
        }
    }

    /// <summary>Requests of the tenant admitted since the start (tests tell a request that ended from one not begun).</summary>
    public long Admitted(string tenantId) => _inFlight.TryGetValue(tenantId, out var count) ? Interlocked.Read(ref count.Total) : 0;

    /// <summary>
    /// Counts one more request unless the tenant is at its limit: <paramref name="planLimit"/> (the plan's
    /// <c>max_requests_in_flight</c>), or the option when the plan does not carry one. Past the limit it waits
    /// for a slot as described on the type; false when none came.
    /// </summary>
    public async ValueTask<bool> TryEnter(string tenantId, int? planLimit, CancellationToken cancellationToken)
    {
        var limit = planLimit ?? options.Value.MaxConcurrentRequestsPerTenant;
        var count = _inFlight.GetOrAdd(tenantId, static _ => new Counter());
        var wait = options.Value.InFlightQueueWait;
        LinkedListNode<TaskCompletionSource<bool>> waiter;
        lock (count)
        {
            if (count.Value < limit && count.Waiters.Count == 0)
            {
                count.Value++;
                count.Total++;
                return true;
            }

            if (wait <= TimeSpan.Zero || count.Waiters.Count >= limit)
            {
                return false;
            }

            waiter = count.Waiters.AddLast(new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        try
        {
            return await waiter.Value.Task.WaitAsync(wait, time, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // No slot in time, or the client left (its 429 goes nowhere).
            lock (count)
            {
                if (waiter.Value.TrySetResult(false))
                {
                    count.Waiters.Remove(waiter);
                    return false;
                }
            }

            // Granted a slot just as the wait ended: it is this request's, or it would be lost.
            return true;
        }
    }

    /// <summary>Ends a request counted by <see cref="TryEnter"/>; the slot goes to the next waiting request, if any.</summary>
    public void Exit(string tenantId, int? planLimit)
    {
        if (_inFlight.TryGetValue(tenantId, out var count))
        {
            lock (count)
            {
                count.Value--;
                GrantNext(count, planLimit ?? options.Value.MaxConcurrentRequestsPerTenant);
            }
        }
    }

    // Under the counter's lock. A waiter that gave up removed itself under the same lock, so each one here is live.
    private static void GrantNext(Counter count, int limit)
    {
        while (count.Value < limit && count.Waiters.First is { } next)
        {
            count.Waiters.RemoveFirst();
            next.Value.TrySetResult(true);
            count.Value++;
            count.Total++;
        }
    }

    private sealed class Counter
    {
        // Under the lock on the counter; read without it only for the tests' and logs' views.
        public int Value;
        public long Total;
        public readonly LinkedList<TaskCompletionSource<bool>> Waiters = new();
    }
}
