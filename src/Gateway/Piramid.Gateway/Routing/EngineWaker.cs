using System.Collections.Concurrent;
using Piramid.Gateway.ControlPlane;

namespace Piramid.Gateway.Routing;

/// <summary>
/// Wakes hibernating engines: one question to the control plane per tenant at a time (single flight), however many
/// requests arrive; the answer's route goes into the routing table, which releases the requests
/// <see cref="RouteWaiters"/> holds. The question carries no caller's cancellation (one client giving up does not
/// cancel the wake for the others); <see cref="GatewayOptions.EngineStartWait"/> bounds what each request waits.
/// </summary>
public sealed partial class EngineWaker(ControlPlaneClient controlPlane, RoutingTable table, ILogger<EngineWaker> logger, IHostApplicationLifetime lifetime)
{
    private readonly ConcurrentDictionary<string, byte> _waking = new(StringComparer.Ordinal);

    /// <summary>Wakes asked of the control plane since start (one per burst of a tenant's first requests).</summary>
    public long Asked => Interlocked.Read(ref _asked);

    private long _asked;

    /// <summary>Starts waking the tenant's engine unless a wake is already out; does not wait for it.</summary>
    public void Wake(string tenantId)
    {
        if (!_waking.ContainsKey(tenantId) && _waking.TryAdd(tenantId, 0))
        {
            Interlocked.Increment(ref _asked);
            _ = WakeOnceAsync(tenantId); // Every failure is caught and logged inside.
        }
    }

    private async Task WakeOnceAsync(string tenantId)
    {
        await Task.Yield(); // The caller goes on to wait; the question runs apart.
        try
        {
            if (await controlPlane.WakeEngineAsync(tenantId, lifetime.ApplicationStopping) is { } route)
            {
                table.Woke(route);
            }
            else
            {
                WakeRefused(logger, tenantId);
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or InvalidOperationException or System.Text.Json.JsonException)
        {
            WakeFailed(logger, tenantId, e.Message);
        }
        finally
        {
            _waking.TryRemove(tenantId, out _);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The control plane did not wake the engine of tenant {TenantId}; its held requests get 503 when their wait ends")]
    private static partial void WakeRefused(ILogger logger, string tenantId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waking the engine of tenant {TenantId} failed: {Reason}")]
    private static partial void WakeFailed(ILogger logger, string tenantId, string reason);
}
