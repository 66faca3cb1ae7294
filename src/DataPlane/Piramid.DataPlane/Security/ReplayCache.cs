using System.Collections.Concurrent;

namespace Piramid.DataPlane.Security;

/// <summary>
/// Remembers nonces of accepted identities until they would be stale anyway, so a captured header
/// cannot be replayed. Memory is bounded by the request rate times the freshness window.
/// </summary>
public sealed class ReplayCache(TimeProvider time, TimeSpan window)
{
    private readonly ConcurrentDictionary<string, long> _seen = new(StringComparer.Ordinal);
    private long _nextSweep;

    /// <summary>True the first time a nonce is offered within the window, false on a replay.</summary>
    public bool TryAccept(string nonce)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        Sweep(now);
        // Kept for two windows: a nonce signed at the edge of the past window may still arrive fresh.
        return _seen.TryAdd(nonce, now + (2 * (long)window.TotalMilliseconds));
    }

    private void Sweep(long now)
    {
        var next = Interlocked.Read(ref _nextSweep);
        if (now < next || Interlocked.CompareExchange(ref _nextSweep, now + 1000, next) != next)
        {
            return;
        }

        foreach (var (nonce, expiry) in _seen)
        {
            if (expiry < now)
            {
                _seen.TryRemove(nonce, out _);
            }
        }
    }
}
