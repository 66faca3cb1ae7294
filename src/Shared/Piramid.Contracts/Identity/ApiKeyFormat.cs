using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Piramid.Contracts.Identity;

/// <summary>
/// API keys look like <c>pk_&lt;16 hex id&gt;_&lt;43 chars base64url secret&gt;</c>: 256 bits of secret,
/// a public id to find the record, and a prefix that secret scanners recognise. Only SHA-256 of the
/// secret is stored: the secret is random and long, so a slow password hash would add nothing.
/// </summary>
public static class ApiKeyFormat
{
    /// <summary>Key prefix.</summary>
    public const string Prefix = "pk_";

    private const int IdHexLength = 16;
    private const int SecretBytes = 32;

    /// <summary>A new id and secret, and the full key to hand to the client once.</summary>
    public static (string Id, string Secret, string Key) Generate()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdHexLength / 2));
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));
        return (id, secret, Compose(id, secret));
    }

    /// <summary>The full key for an id and secret.</summary>
    public static string Compose(string id, string secret) => $"{Prefix}{id}_{secret}";

    /// <summary>Splits a presented key; false for anything that is not shaped like one.</summary>
    public static bool TryParse(string? presented, out string id, out string secret)
    {
        id = string.Empty;
        secret = string.Empty;
        if (presented is null || presented.Length != Prefix.Length + IdHexLength + 1 + 43
            || !presented.StartsWith(Prefix, StringComparison.Ordinal) || presented[Prefix.Length + IdHexLength] != '_')
        {
            return false;
        }

        id = presented.Substring(Prefix.Length, IdHexLength);
        secret = presented[(Prefix.Length + IdHexLength + 1)..];
        return id.All(char.IsAsciiHexDigitLower);
    }

    /// <summary>SHA-256 of the secret, as stored and as the gateway sends it for introspection.</summary>
    public static byte[] HashSecret(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
