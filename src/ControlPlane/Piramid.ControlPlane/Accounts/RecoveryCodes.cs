using System.Security.Cryptography;
using System.Text;

namespace Piramid.ControlPlane.Accounts;

/// <summary>
/// Ten single-use codes that stand in for a TOTP code when the device is lost. Each has 50 random bits (ten base32
/// characters, shown as <c>xxxxx-xxxxx</c>), so a fast SHA-256 is enough to store it: there is nothing to brute-force
/// offline that a lockout-bounded online guesser could not try first.
/// </summary>
public static class RecoveryCodes
{
    /// <summary>Codes per enrolment.</summary>
    public const int Count = 10;

    /// <summary>New codes, shown once.</summary>
    public static IReadOnlyList<string> Create()
    {
        var codes = new List<string>(Count);
        for (var i = 0; i < Count; i++)
        {
            var text = TotpCodes.Base32(RandomNumberGenerator.GetBytes(7))[..10].ToLowerInvariant();
            codes.Add($"{text[..5]}-{text[5..]}");
        }

        return codes;
    }

    /// <summary>The stored form of a code (hyphens and case ignored).</summary>
    public static string Hash(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var normalized = code.Trim().Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));
    }

    /// <summary>True when <paramref name="code"/> has the shape of a recovery code rather than a TOTP code.</summary>
    public static bool LooksLikeOne(string code) => code.Trim().Length >= 10 && !code.Trim().All(char.IsAsciiDigit);
}
