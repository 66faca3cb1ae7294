namespace Piramid.ControlPlane.Accounts;

/// <summary>How an email is stored and compared: trimmed and lower-case (invariant), so <c>Ann@X.io</c> and <c>ann@x.io</c> are one account.</summary>
public static class EmailAddress
{
    /// <summary>Longest address accepted (RFC 5321: 254 octets in a path).</summary>
    public const int MaxLength = 254;

    /// <summary>The stored form of an email.</summary>
    public static string Normalize(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return email.Trim().ToLowerInvariant();
    }

    /// <summary>
    /// Null when <paramref name="normalized"/> looks like an address (one <c>@</c> with text on both sides, a dot
    /// in the domain, no spaces or controls, at most <see cref="MaxLength"/> characters); otherwise why not.
    /// Nothing is mailed, so this only keeps obvious garbage out.
    /// </summary>
    public static string? Problem(string normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        if (normalized.Length == 0)
        {
            return "'email' is required.";
        }

        if (normalized.Length > MaxLength)
        {
            return $"'email' is longer than {MaxLength} characters.";
        }

        var at = normalized.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != normalized.LastIndexOf('@') || at == normalized.Length - 1)
        {
            return "'email' must have the form name@domain.";
        }

        var domain = normalized.AsSpan(at + 1);
        if (domain.IndexOf('.') <= 0 || domain[^1] == '.')
        {
            return "'email' must have the form name@domain.";
        }

        foreach (var c in normalized)
        {
            if (c <= ' ' || c == '\u007f' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return "'email' must not contain spaces or control characters.";
            }
        }

        return null;
    }
}
