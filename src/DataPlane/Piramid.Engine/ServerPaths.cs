using System.Text.RegularExpressions;

namespace Piramid.Engine;

/// <summary>
/// Keeps the server's file system layout out of what callers read. Storage errors name the damaged file by its
/// absolute path (useful in the engine's own log); a tenant only needs the file's name to quote to an operator,
/// and the path would disclose the host's directory layout and the tenant's data location.
/// </summary>
public static partial class ServerPaths
{
    /// <summary>Replaces every absolute path in <paramref name="text"/> by its last segment (the file name).</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains('/', StringComparison.Ordinal) || text.Contains('\\', StringComparison.Ordinal)
            ? AbsolutePath().Replace(text, static m => m.Groups["leaf"].Value)
            : text;
    }

    // A '/' (or a drive letter and '\') not preceded by a word character, then segments up to the last one.
    // "application/json" is left alone: its slash follows a letter.
    [GeneratedRegex(@"(?<![\w.~-])(?:[A-Za-z]:)?[/\\](?:[^\s/\\'"":;,()]+[/\\])*(?<leaf>[^\s/\\'"":;,()]*)", RegexOptions.CultureInvariant)]
    private static partial Regex AbsolutePath();
}
