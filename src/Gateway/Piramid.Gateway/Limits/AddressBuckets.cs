using System.Net;
using System.Net.Sockets;

namespace Piramid.Gateway.Limits;

/// <summary>
/// Token buckets keyed by client address, refilled lazily from an injected clock. Bounded: a bucket that has
/// refilled to full is the same as no bucket and is swept, and once <c>capacity</c> addresses hold a bucket,
/// further addresses share one overflow bucket, so a flood from many addresses is still held to one budget
/// instead of growing memory. IPv6 clients are keyed by their /64, the block one subscriber usually gets.
/// </summary>
public sealed class AddressBuckets(double ratePerSecond, int burst, int capacity, TimeProvider time)
{
    private static readonly IPAddress Unknown = IPAddress.None;
    private readonly Lock _lock = new();
    private readonly Dictionary<IPAddress, Bucket> _buckets = [];
    private readonly Bucket _overflow = new(burst, 0);
    private long _lastSweep;

    /// <summary>Addresses that hold a bucket of their own now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _buckets.Count;
            }
        }
    }

    /// <summary>Takes a token for this address; when none is left, the seconds until one is back.</summary>
    public (bool Admitted, int RetryAfterSeconds) TryTake(IPAddress? address)
    {
        var key = KeyOf(address);
        var now = time.GetUtcNow().UtcTicks;
        lock (_lock)
        {
            if (!_buckets.TryGetValue(key, out var bucket))
            {
                var sinceSweep = ElapsedSeconds(_lastSweep, now);
                if ((_buckets.Count >= capacity && sinceSweep >= FullSweepSeconds) || sinceSweep >= SweepSeconds)
                {
                    Sweep(now);
                }

                bucket = _buckets.Count < capacity ? _buckets[key] = new Bucket(burst, now) : _overflow;
            }

            Refill(bucket, now);
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                return (true, 0);
            }

            return (false, Math.Max(1, (int)Math.Ceiling((1 - bucket.Tokens) / ratePerSecond)));
        }
    }

    /// <summary>The key of an address: IPv4 (mapped or not) as is, IPv6 by its /64.</summary>
    public static IPAddress KeyOf(IPAddress? address)
    {
        if (address is null)
        {
            return Unknown;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }

    // Idle addresses leave at least this often even without pressure; at capacity a sweep runs at most once a
    // second, so a flood of new addresses cannot make every request walk the whole table.
    private const double SweepSeconds = 60;
    private const double FullSweepSeconds = 1;

    private void Sweep(long now)
    {
        _lastSweep = now;
        foreach (var (key, bucket) in _buckets)
        {
            Refill(bucket, now);
            if (bucket.Tokens >= burst)
            {
                _buckets.Remove(key);
            }
        }
    }

    private void Refill(Bucket bucket, long now)
    {
        bucket.Tokens = Math.Min(burst, bucket.Tokens + (ElapsedSeconds(bucket.Updated, now) * ratePerSecond));
        bucket.Updated = now;
    }

    // Ticks of the injected clock's UTC time; a clock stepping back refills nothing.
    private static double ElapsedSeconds(long from, long to) => Math.Max(0, to - from) / (double)TimeSpan.TicksPerSecond;

    private sealed class Bucket(double tokens, long updated)
    {
        public double Tokens = tokens;
        public long Updated = updated;
    }
}
