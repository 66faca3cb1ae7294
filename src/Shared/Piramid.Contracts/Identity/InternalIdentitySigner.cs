using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Piramid.Contracts.Identity;

/// <summary>
/// Signs and verifies the internal identity header with HMAC-SHA256 under the engine's secret.
/// Wire form: <c>v1.&lt;base64url(fields)&gt;.&lt;base64url(mac)&gt;</c>, fields joined by '\n'
/// (docs/design/internal-auth.md). Only the signature check lives here; freshness and replay checks
/// need a clock and memory and belong to the verifier in the engine.
/// </summary>
public static class InternalIdentitySigner
{
    private const string Version = "v1";
    private const char Separator = '\n';
    private const int FieldCount = 9;

    /// <summary>Smallest secret accepted, in bytes (256 bits).</summary>
    public const int MinSecretBytes = 32;

    /// <summary>Returns the header value for <paramref name="identity"/>.</summary>
    public static string Sign(InternalIdentity identity, ReadOnlySpan<byte> secret)
    {
        ArgumentNullException.ThrowIfNull(identity);
        CheckSecret(secret);
        var payload = Encoding.UTF8.GetBytes(Serialize(identity));
        var mac = HMACSHA256.HashData(secret, payload);
        return Format(payload, mac);
    }

    /// <summary>
    /// Returns the header value for <paramref name="identity"/>, signed with a kept key (the gateway signs every
    /// request it forwards this way; the header is the same as <see cref="Sign(InternalIdentity, ReadOnlySpan{byte})"/>'s).
    /// </summary>
    public static string Sign(InternalIdentity identity, InternalIdentityKey key)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(key);
        var payload = Encoding.UTF8.GetBytes(Serialize(identity));
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        key.Mac(payload, mac);
        return Format(payload, mac);
    }

    // v1.<base64url(payload)>.<base64url(mac)>, written once into the string.
    private static string Format(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> mac)
    {
        var payloadChars = Base64Url.GetEncodedLength(payload.Length);
        var macChars = Base64Url.GetEncodedLength(mac.Length);
        var length = Version.Length + 1 + payloadChars + 1 + macChars;
        var rented = length <= 1024 ? null : System.Buffers.ArrayPool<char>.Shared.Rent(length);
        try
        {
            Span<char> text = rented ?? stackalloc char[length];
            Version.CopyTo(text);
            text[Version.Length] = '.';
            Base64Url.EncodeToChars(payload, text.Slice(Version.Length + 1, payloadChars));
            text[Version.Length + 1 + payloadChars] = '.';
            Base64Url.EncodeToChars(mac, text.Slice(length - macChars, macChars));
            return new string(text[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Parses <paramref name="header"/> and checks its MAC in constant time. Returns false for any
    /// malformed or forged value, without saying which, so callers answer every failure alike.
    /// </summary>
    public static bool TryVerify(string? header, ReadOnlySpan<byte> secret, out InternalIdentity? identity)
    {
        identity = null;
        CheckSecret(secret);
        if (string.IsNullOrEmpty(header) || header.Length > 8192)
        {
            return false;
        }

        var parts = header.Split('.');
        if (parts.Length != 3 || parts[0] != Version)
        {
            return false;
        }

        byte[] payload;
        byte[] mac;
        try
        {
            payload = Base64Url.DecodeFromChars(parts[1]);
            mac = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(secret, payload);
        if (!CryptographicOperations.FixedTimeEquals(expected, mac))
        {
            return false;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(payload);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        return TryDeserialize(text, out identity);
    }

    internal static void CheckSecret(ReadOnlySpan<byte> secret)
    {
        if (secret.Length < MinSecretBytes)
        {
            throw new ArgumentException($"The engine secret must be at least {MinSecretBytes} bytes.", nameof(secret));
        }
    }

    private static string Serialize(InternalIdentity id)
    {
        string[] fields =
        [
            id.Principal, id.TenantId, id.Role, id.Method, id.Path,
            id.IssuedAtUnixMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            id.Nonce, string.Join(',', id.Collections), string.Empty,
        ];
        foreach (var field in fields)
        {
            if (field.Contains(Separator, StringComparison.Ordinal))
            {
                throw new ArgumentException("Identity fields must not contain a line feed.", nameof(id));
            }
        }

        foreach (var collection in id.Collections)
        {
            if (collection.Length == 0 || collection.Contains(',', StringComparison.Ordinal))
            {
                throw new ArgumentException("Collection scope entries must be non-empty and comma-free.", nameof(id));
            }
        }

        return string.Join(Separator, fields);
    }

    private static bool TryDeserialize(string text, out InternalIdentity? identity)
    {
        identity = null;
        var f = text.Split(Separator);
        if (f.Length != FieldCount
            || !long.TryParse(f[5], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var issuedAt))
        {
            return false;
        }

        var collections = f[7].Length == 0 ? [] : f[7].Split(',');
        identity = new InternalIdentity(f[0], f[1], f[2], f[3], f[4], issuedAt, f[6], collections);
        return true;
    }
}
