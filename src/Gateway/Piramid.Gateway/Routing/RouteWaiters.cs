using Microsoft.Extensions.Options;

namespace Piramid.Gateway.Routing;

/// <summary>
/// Holds requests of a tenant whose engine is not routed yet (just created, starting, restarting) until its route
/// appears, so that a tenant is usable as soon as its create call answered. The wait is bounded in time
/// (<see cref="GatewayOptions.EngineStartWait"/>) and in number per tenant
/// (<see cref="GatewayOptions.MaxWaitingRequestsPerTenant"/>): past either, the caller gets 503 with Retry-After.
/// </summary>
/// <remarks>
/// Only requests with a valid key of the tenant wait (the key's introspection proves the tenant exists), so a
/// flood of requests for tenants that do not exist cannot queue here.
/// </remarks>
public sealed class RouteWaiters
{
    private readonly RoutingTable _table;
    private readonly IOptions<GatewayOptions> _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<TaskCompletionSource<EngineRoute>>> _waiting = new(StringComparer.Ordinal);

    /// <summary>Subscribes to table changes.</summary>
    public RouteWaiters(RoutingTable table, IOptions<GatewayOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
        _options = options;
        _time = time;
        table.Changed += Release;
    }

    /// <summary>Requests of <paramref name="tenantId"/> waiting now.</summary>
    public int Waiting(string tenantId)
    {
        lock (_gate)
        {
            return _waiting.TryGetValue(tenantId, out var list) ? list.Count : 0;
        }
    }

    /// <summary>The tenant's route, waiting for it if needed; null when the wait is full or timed out.</summary>
    public async Task<EngineRoute?> WaitAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (_table.Find(tenantId) is { } route)
        {
            return route;
        }

        var waiter = new TaskCompletionSource<EngineRoute>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (!_waiting.TryGetValue(tenantId, out var list))
            {
                _waiting[tenantId] = list = [];
            }

            if (list.Count >= _options.Value.MaxWaitingRequestsPerTenant)
            {
                return null;
            }

            list.Add(waiter);
        }

        // The table may have changed between the first look and the registration.
        if (_table.Find(tenantId) is { } arrived)
        {
            waiter.TrySetResult(arrived);
        }

        try
        {
            return await waiter.Task.WaitAsync(_options.Value.EngineStartWait, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            lock (_gate)
            {
                if (_waiting.TryGetValue(tenantId, out var list) && list.Remove(waiter) && list.Count == 0)
                {
                    _waiting.Remove(tenantId);
                }
            }
        }
    }

    private void Release()
    {
        lock (_gate)
        {
            foreach (var (tenantId, list) in _waiting)
            {
                if (_table.Find(tenantId) is { } route)
                {
                    foreach (var waiter in list)
                    {
                        waiter.TrySetResult(route);
                    }
                }
            }
        }
    }
}
