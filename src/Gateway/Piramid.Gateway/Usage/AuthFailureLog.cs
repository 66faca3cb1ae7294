using Microsoft.Extensions.Options;
using Piramid.Contracts.Admin;

namespace Piramid.Gateway.Usage;

/// <summary>
/// Refused requests counted per reason, client address and key id until the next report. Bounded in bytes
/// whatever the flood: no path is kept, and past <see cref="GatewayOptions.AuthFailureEntriesPerReport"/> distinct
/// entries a refusal only adds to the "others" count.
/// </summary>
public sealed class AuthFailureLog(IOptions<GatewayOptions> options, TimeProvider time)
{
    private readonly Lock _lock = new();
    private Dictionary<(string Reason, string? Address, string? KeyId), AuthFailureCount> _entries = [];
    private long _others;

    /// <summary>Records one refusal of this request, with the request id its answer carries (the trace identifier).</summary>
    public void Record(HttpContext context, string reason, string? keyId)
    {
        ArgumentNullException.ThrowIfNull(context);
        var now = time.GetUtcNow();
        Add(reason, context.Connection.RemoteIpAddress?.ToString(), keyId, 1, now, now, context.TraceIdentifier, context.TraceIdentifier);
    }

    /// <summary>Takes what was counted since the last call.</summary>
    public AuthFailureReport Drain()
    {
        lock (_lock)
        {
            var report = new AuthFailureReport { Entries = [.. _entries.Values], Others = _others };
            _entries = [];
            _others = 0;
            return report;
        }
    }

    /// <summary>Puts back a report that got no answer, to go with the next one (still within the bound).</summary>
    public void Restore(AuthFailureReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        foreach (var entry in report.Entries)
        {
            Add(entry.Reason, entry.RemoteAddress, entry.KeyId, entry.Count, entry.FirstSeen, entry.LastSeen, entry.FirstRequestId, entry.LastRequestId);
        }

        lock (_lock)
        {
            _others += report.Others;
        }
    }

    private void Add(string reason, string? address, string? keyId, long count, DateTimeOffset first, DateTimeOffset last, string? firstRequest, string? lastRequest)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue((reason, address, keyId), out var entry))
            {
                entry.Count += count;
                if (first < entry.FirstSeen)
                {
                    (entry.FirstSeen, entry.FirstRequestId) = (first, firstRequest);
                }

                if (last >= entry.LastSeen)
                {
                    (entry.LastSeen, entry.LastRequestId) = (last, lastRequest);
                }
            }
            else if (_entries.Count < options.Value.AuthFailureEntriesPerReport)
            {
                _entries[(reason, address, keyId)] = new AuthFailureCount
                {
                    Reason = reason,
                    RemoteAddress = address,
                    KeyId = keyId,
                    Count = count,
                    FirstSeen = first,
                    LastSeen = last,
                    FirstRequestId = firstRequest,
                    LastRequestId = lastRequest,
                };
            }
            else
            {
                _others += count;
            }
        }
    }
}
