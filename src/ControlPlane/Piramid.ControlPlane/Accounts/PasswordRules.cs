namespace Piramid.ControlPlane.Accounts;

/// <summary>
/// What a password must be: 10-128 characters (NIST SP 800-63B: a minimum length and a deny list, no composition
/// rules), not a common password, not mostly one character, and not the email.
/// </summary>
public static class PasswordRules
{
    /// <summary>Shortest password accepted.</summary>
    public const int MinLength = 10;

    /// <summary>Longest password accepted: PBKDF2 hashes any length, but a bound keeps requests small.</summary>
    public const int MaxLength = 128;

    /// <summary>Null when <paramref name="password"/> is acceptable for <paramref name="email"/>; otherwise why not, naming <paramref name="field"/>.</summary>
    public static string? Problem(string? password, string email, string field = "password")
    {
        ArgumentNullException.ThrowIfNull(email);
        if (string.IsNullOrEmpty(password))
        {
            return $"'{field}' is required.";
        }

        if (password.Length < MinLength)
        {
            return $"'{field}' must be at least {MinLength} characters.";
        }

        if (password.Length > MaxLength)
        {
            return $"'{field}' must be at most {MaxLength} characters.";
        }

        var lower = password.ToLowerInvariant();
        if (IsCommon(lower))
        {
            return $"'{field}' is one of the most common passwords; choose another.";
        }

        if (lower.Distinct().Count() < 4)
        {
            return $"'{field}' must use at least 4 different characters.";
        }

        if (email.Length > 0 && (lower == email || lower == email.Split('@')[0]))
        {
            return $"'{field}' must not be the email address.";
        }

        return null;
    }

    // A listed password, or one followed by digits and punctuation only (Password2024!, abc123456!): each prefix
    // that leaves only such characters after it is looked up.
    private static bool IsCommon(string lower)
    {
        const string Suffix = "0123456789!@#$%^&*.,;:?_-+=~ ";
        for (var end = lower.Length; ; end--)
        {
            if (CommonPasswords.Contains(lower[..end]))
            {
                return true;
            }

            if (end == 0 || !Suffix.Contains(lower[end - 1], StringComparison.Ordinal))
            {
                return false;
            }
        }
    }
}
