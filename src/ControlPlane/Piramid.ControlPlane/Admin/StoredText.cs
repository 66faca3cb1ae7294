namespace Piramid.ControlPlane.Admin;

/// <summary>
/// Text that JSON and URLs carry but PostgreSQL cannot store: a NUL character (text columns refuse it) and
/// an unpaired UTF-16 surrogate (it has no UTF-8 encoding). Checked once at the edge, so no later layer
/// (EF, OpenIddict, Npgsql) meets it and fails with a 5xx.
/// </summary>
internal static class StoredText
{
    /// <summary>Why <paramref name="text"/> cannot be stored, or null when it can.</summary>
    public static string? Problem(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                return "holds a NUL character (U+0000)";
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return $"holds an unpaired UTF-16 surrogate (U+{(int)c:X4})";
            }
        }

        return null;
    }
}
