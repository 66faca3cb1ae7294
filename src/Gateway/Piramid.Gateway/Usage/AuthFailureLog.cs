using System.Collections.Concurrent;
using Piramid.Contracts.Admin;

namespace Piramid.Gateway.Usage;

/// <summary>
/// Refused credentials waiting for the next report. Bounded: a flood of bad keys costs a counter, not
/// memory, and the trail records how many were dropped.
/// </summary>
public sealed class AuthFailureLog(TimeProvider time)
{
    /// <summary>Most failures held between two reports.</summary>
    public const int Capacity = 10_000;

    private ConcurrentQueue<AuthFailure> _queue = new();
    private long _dropped;

    /// <summary>Records one refusal of this request.</summary>
    public void Record(HttpContext context, string reason, string? keyId)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_queue.Count >= Capacity)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        var path = context.Request.Path.Value ?? "/";
        _queue.Enqueue(new AuthFailure
        {
            Time = time.GetUtcNow(),
            RemoteAddress = context.Connection.RemoteIpAddress?.ToString(),
            KeyId = keyId,
            Reason = reason,
            Method = context.Request.Method.Length <= 16 ? context.Request.Method : context.Request.Method[..16],
            Path = path.Length <= 2048 ? path : path[..2048],
        });
    }

    /// <summary>Takes what is queued and the drop count.</summary>
    public (IReadOnlyList<AuthFailure> Failures, long Dropped) Drain()
    {
        var taken = Interlocked.Exchange(ref _queue, new ConcurrentQueue<AuthFailure>());
        return ([.. taken], Interlocked.Exchange(ref _dropped, 0));
    }
}
