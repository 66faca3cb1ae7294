using System.Collections.Concurrent;
using Piramid.Contracts.Admin;

namespace Piramid.Gateway.Usage;

/// <summary>
/// The last minute each API key authenticated a request, kept in memory and sent with the usage reports, so a
/// key's <c>last_used_at</c> costs no control-plane write per request. Bounded: past
/// <see cref="KeyUseReport"/>'s limit the newest keys wait for the next interval.
/// </summary>
public sealed class KeyUseLog(TimeProvider time)
{
    /// <summary>Most distinct keys kept between two reports (the control plane's limit per report).</summary>
    public const int MaxKeys = 10_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _uses = new(StringComparer.Ordinal);

    /// <summary>Records a use of the key now.</summary>
    public void Record(string keyId)
    {
        var now = time.GetUtcNow();
        var minute = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        if (_uses.TryGetValue(keyId, out var known) && known >= minute)
        {
            return;
        }

        if (_uses.Count >= MaxKeys && !_uses.ContainsKey(keyId))
        {
            return;
        }

        _uses.AddOrUpdate(keyId, minute, (_, old) => old >= minute ? old : minute);
    }

    /// <summary>Takes the uses recorded since the last drain.</summary>
    public KeyUseReport Drain()
    {
        var taken = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var keyId in _uses.Keys)
        {
            if (_uses.TryRemove(keyId, out var at))
            {
                taken[keyId] = at;
            }
        }

        return new KeyUseReport { KeyLastUsed = taken };
    }

    /// <summary>Puts back a report that got no answer, keeping the later time of each key.</summary>
    public void Restore(KeyUseReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        foreach (var (keyId, at) in report.KeyLastUsed)
        {
            _uses.AddOrUpdate(keyId, at, (_, old) => old >= at ? old : at);
        }
    }
}
