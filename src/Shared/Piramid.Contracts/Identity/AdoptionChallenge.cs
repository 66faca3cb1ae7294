using System.Security.Cryptography;
using System.Text;

namespace Piramid.Contracts.Identity;

/// <summary>
/// The proof an engine gives a restarted control plane before it is adopted: it MACs a fresh nonce with a
/// key only the real engine of that tenant holds (docs/design/internal-auth.md, "Adoption challenge").
/// MAC = HMAC-SHA256(HKDF-SHA256(engine secret, info "piramid/v1/adoption-challenge"), "tenant\nnonce"):
/// a key of its own, so the answers are never valid identity-header MACs, whatever nonce is asked.
/// </summary>
public static class AdoptionChallenge
{
    /// <summary>Route of the challenge on the engine (outside internal auth, like the other health routes).</summary>
    public const string Path = "/health/challenge";

    /// <summary>Query parameter carrying the nonce.</summary>
    public const string NonceParameter = "nonce";

    /// <summary>Nonce length in hex characters (16 random bytes).</summary>
    public const int NonceHexLength = 32;

    private static ReadOnlySpan<byte> KeyLabel => "piramid/v1/adoption-challenge"u8;

    /// <summary>A fresh random nonce (lowercase hex).</summary>
    public static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(NonceHexLength / 2));

    /// <summary>True when <paramref name="nonce"/> is exactly <see cref="NonceHexLength"/> lowercase hex characters.</summary>
    public static bool IsValidNonce(string? nonce) =>
        nonce is { Length: NonceHexLength } && nonce.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    /// <summary>The answer (lowercase hex) the engine of <paramref name="tenantId"/> gives for <paramref name="nonce"/>.</summary>
    public static string Answer(ReadOnlySpan<byte> engineSecret, string tenantId, string nonce)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        if (!IsValidNonce(nonce))
        {
            throw new ArgumentException($"A challenge nonce is {NonceHexLength} lowercase hex characters.", nameof(nonce));
        }

        Span<byte> key = stackalloc byte[32];
        try
        {
            HKDF.DeriveKey(HashAlgorithmName.SHA256, engineSecret, key, [], KeyLabel);
            return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(tenantId + "\n" + nonce)));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Compares an engine's answer with the expected one in constant time.</summary>
    public static bool Verify(ReadOnlySpan<byte> engineSecret, string tenantId, string nonce, string? answer) =>
        answer is not null
        && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Answer(engineSecret, tenantId, nonce)), Encoding.ASCII.GetBytes(answer.Trim()));
}
