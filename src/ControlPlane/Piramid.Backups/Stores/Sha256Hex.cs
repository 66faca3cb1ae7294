namespace Piramid.Backups.Stores;

/// <summary>Checks and normalizes the SHA-256 digests callers pass: 64 hex digits, stored in lower case.</summary>
public static class Sha256Hex
{
    /// <summary>Lower-case form of <paramref name="sha256Hex"/>; throws <see cref="ArgumentException"/> unless it is 64 hex digits.</summary>
    public static string Normalize(string sha256Hex)
    {
        if (sha256Hex is null || sha256Hex.Length != 64 || !sha256Hex.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException("The SHA-256 must be 64 hexadecimal digits.", nameof(sha256Hex));
        }

        return sha256Hex.ToLowerInvariant();
    }

    /// <summary>Lower-case hex of a digest.</summary>
    public static string Of(ReadOnlySpan<byte> digest) => Convert.ToHexStringLower(digest);
}
