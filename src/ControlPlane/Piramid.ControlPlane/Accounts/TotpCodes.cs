using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Piramid.ControlPlane.Accounts;

/// <summary>
/// RFC 6238 time-based one-time passwords as authenticator apps compute them by default: HMAC-SHA1, 30-second steps,
/// 6 digits, a 160-bit secret shown in base32. One step of clock drift either way is accepted.
/// </summary>
public static class TotpCodes
{
    /// <summary>Seconds per step.</summary>
    public const int StepSeconds = 30;

    /// <summary>Digits per code.</summary>
    public const int Digits = 6;

    /// <summary>Secret length (RFC 4226 recommends 160 bits).</summary>
    public const int SecretBytes = 20;

    /// <summary>The step a time falls in.</summary>
    public static long StepOf(DateTimeOffset time) => time.ToUnixTimeSeconds() / StepSeconds;

    /// <summary>The code of <paramref name="secret"/> at <paramref name="step"/> (RFC 4226 dynamic truncation).</summary>
    public static string Code(ReadOnlySpan<byte> secret, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> mac = stackalloc byte[HMACSHA1.HashSizeInBytes];
        // RFC 6238's default and what authenticator apps compute; SHA-1's collision weakness does not touch HMAC.
#pragma warning disable CA5350
        HMACSHA1.HashData(secret, counter, mac);
#pragma warning restore CA5350
        var offset = mac[^1] & 0x0f;
        var binary = (BinaryPrimitives.ReadInt32BigEndian(mac[offset..]) & 0x7fffffff) % 1_000_000;
        return binary.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The step at which <paramref name="code"/> matches, within one step of <paramref name="now"/> and after <paramref name="lastStep"/>; null otherwise.</summary>
    public static long? Match(ReadOnlySpan<byte> secret, string code, DateTimeOffset now, long? lastStep)
    {
        ArgumentNullException.ThrowIfNull(code);
        var current = StepOf(now);
        long? matched = null;
        // Every candidate is computed and compared in constant time, so timing tells nothing about which step matched.
        for (var step = current - 1; step <= current + 1; step++)
        {
            var expected = Encoding.ASCII.GetBytes(Code(secret, step));
            var presented = Encoding.ASCII.GetBytes(code);
            if (CryptographicOperations.FixedTimeEquals(expected, presented) && (lastStep is null || step > lastStep))
            {
                matched ??= step;
            }
        }

        return matched;
    }

    /// <summary>RFC 4648 base32 without padding, as otpauth URIs carry secrets.</summary>
    public static string Base32(ReadOnlySpan<byte> data)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var text = new StringBuilder((data.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                text.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            text.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        }

        return text.ToString();
    }
}
