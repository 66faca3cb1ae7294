using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Piramid.Contracts.Identity;

/// <summary>
/// An engine secret held ready to sign with (<see cref="InternalIdentitySigner.Sign(InternalIdentity, InternalIdentityKey)"/>):
/// keyed HMAC states are kept and reset between headers instead of being keyed anew for each one.
/// </summary>
/// <remarks>
/// A one-shot <c>HMACSHA256.HashData</c> sets up a new keyed context in OpenSSL on every call: 1.4 us per header on
/// this kind of machine, against 0.7 us for a kept state that is reset (a stopwatch loop of 200,000 headers,
/// docs/design/gateway.md). Idle states are pooled, at most one per signer running at once, so the key serves
/// any number of threads.
/// </remarks>
public sealed class InternalIdentityKey
{
    // More idle states than threads that ever sign at once would only hold memory.
    private const int MaxIdle = 64;

    private readonly byte[] _secret;
    private readonly ConcurrentBag<IncrementalHash> _idle = [];

    /// <summary>Holds <paramref name="secret"/> (at least <see cref="InternalIdentitySigner.MinSecretBytes"/> bytes).</summary>
    public InternalIdentityKey(byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        InternalIdentitySigner.CheckSecret(secret);
        _secret = secret;
    }

    /// <summary>Writes HMAC-SHA256(secret, <paramref name="data"/>) to <paramref name="mac"/> (32 bytes).</summary>
    internal void Mac(ReadOnlySpan<byte> data, Span<byte> mac)
    {
        if (!_idle.TryTake(out var hmac))
        {
            hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _secret);
        }

        hmac.AppendData(data);
        hmac.GetHashAndReset(mac);
        if (_idle.Count < MaxIdle)
        {
            _idle.Add(hmac);
        }
        else
        {
            hmac.Dispose();
        }
    }
}
