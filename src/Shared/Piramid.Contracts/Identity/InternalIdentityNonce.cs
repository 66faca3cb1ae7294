using System.Security.Cryptography;

namespace Piramid.Contracts.Identity;

/// <summary>
/// Nonces of the identity header: 16 bytes of the system's cryptographic random generator, in lowercase hex
/// (docs/design/internal-auth.md). Each thread draws 4 KiB from the generator at a time and hands out each byte
/// once: a call into OpenSSL for 16 bytes cost 2.3 us, more than the header's MAC (docs/design/gateway.md).
/// </summary>
public static class InternalIdentityNonce
{
    /// <summary>Random bytes in one nonce.</summary>
    public const int Bytes = 16;

    private const int BufferBytes = 4096;

    [ThreadStatic]
    private static byte[]? _random;

    [ThreadStatic]
    private static int _used;

    /// <summary>A new nonce: 32 lowercase hex characters.</summary>
    public static string Next()
    {
        var random = _random;
        if (random is null || _used > BufferBytes - Bytes)
        {
            random = _random ??= new byte[BufferBytes];
            RandomNumberGenerator.Fill(random);
            _used = 0;
        }

        var nonce = random.AsSpan(_used, Bytes);
        var text = Convert.ToHexStringLower(nonce);
        // A byte handed out is never handed out again, not even if the next refill failed.
        nonce.Clear();
        _used += Bytes;
        return text;
    }
}
