using System.Globalization;
using System.Text;

namespace Piramid.Backups.Stores.Filesystem;

/// <summary>
/// The <c>&lt;object&gt;.sha256</c> file beside every object: one line <c>&lt;sha256 hex&gt; &lt;size&gt;</c>. The size
/// lets a truncated object be refused when it is opened, before a byte is read.
/// </summary>
internal static class HashFile
{
    /// <summary>Suffix of the file beside the object.</summary>
    public const string Suffix = ".sha256";

    /// <summary>The file's bytes.</summary>
    public static byte[] Format(string sha256Hex, long size) =>
        Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{sha256Hex} {size}\n"));

    /// <summary>Reads the hash file of <paramref name="objectPath"/>; null when it is missing.</summary>
    public static async Task<(string Sha256Hex, long Size)?> ReadAsync(string objectPath, string key, CancellationToken ct)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(objectPath + Suffix, Encoding.ASCII, ct);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        var parts = text.TrimEnd('\n').Split(' ');
        if (parts.Length != 2 || parts[0].Length != 64 || !parts[0].All(char.IsAsciiHexDigit)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            throw new BackupObjectCorruptedException(key, $"its hash file '{Path.GetFileName(objectPath)}{Suffix}' is unreadable.");
        }

        return (parts[0].ToLowerInvariant(), size);
    }
}
