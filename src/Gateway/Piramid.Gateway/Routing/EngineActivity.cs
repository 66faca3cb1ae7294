using System.Collections.Concurrent;

namespace Piramid.Gateway.Routing;

/// <summary>
/// The tenants whose engines received a data request since the last activity report. The control plane hibernates an
/// engine that stays out of these reports for its plan's <c>hibernate_after_seconds</c>.
/// </summary>
public sealed class EngineActivity
{
    private ConcurrentDictionary<string, byte> _touched = new(StringComparer.Ordinal);

    /// <summary>Notes a data request for the tenant (a read first: most requests find it noted already).</summary>
    public void Touch(string tenantId)
    {
        var touched = Volatile.Read(ref _touched);
        if (!touched.ContainsKey(tenantId))
        {
            touched.TryAdd(tenantId, 0);
        }
    }

    /// <summary>Takes the tenants noted so far.</summary>
    public IReadOnlyList<string> Drain() =>
        [.. Interlocked.Exchange(ref _touched, new ConcurrentDictionary<string, byte>(StringComparer.Ordinal)).Keys];

    /// <summary>Notes again tenants whose report got no answer.</summary>
    public void Restore(IEnumerable<string> tenantIds)
    {
        ArgumentNullException.ThrowIfNull(tenantIds);
        foreach (var tenantId in tenantIds)
        {
            Touch(tenantId);
        }
    }
}
