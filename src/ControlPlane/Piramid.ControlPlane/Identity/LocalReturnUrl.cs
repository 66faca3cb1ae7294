namespace Piramid.ControlPlane.Identity;

/// <summary>
/// Decides whether the login form may follow a return URL: only a path on this origin. Browsers read
/// <c>//host</c> and <c>/\host</c> as another host, drop tabs and line breaks anywhere (so <c>/\t/host</c> is
/// <c>//host</c>), and treat a backslash as a slash; a control or non-ASCII character would also make the
/// <c>Location</c> header itself invalid. So the rule is strict: a single leading <c>/</c>, then only printable
/// ASCII without backslashes. The same holds once percent-decoded (<c>/%2F/host</c>, <c>/%09/host</c>), in case
/// a later hop decodes. The URLs we send there (<c>/connect/authorize?...</c>) pass both.
/// </summary>
internal static class LocalReturnUrl
{
    /// <summary>True when <paramref name="url"/> is a same-origin path that is safe to redirect to.</summary>
    public static bool IsLocal(string? url) =>
        url is { Length: > 0 and <= 2048 } && IsPath(url, asciiOnly: true) && IsPath(Uri.UnescapeDataString(url), asciiOnly: false);

    private static bool IsPath(string url, bool asciiOnly)
    {
        if (url.Length == 0 || url[0] != '/' || (url.Length > 1 && url[1] is '/' or '\\'))
        {
            return false;
        }

        foreach (var c in url)
        {
            // Decoded, a space or a non-ASCII letter is fine (scope=openid%20offline_access); controls never are.
            if (c is '\\' || char.IsControl(c) || (asciiOnly && c is <= ' ' or > '~'))
            {
                return false;
            }
        }

        return true;
    }
}
