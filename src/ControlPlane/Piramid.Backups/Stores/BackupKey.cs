using System.Globalization;
using System.Text;

namespace Piramid.Backups.Stores;

/// <summary>
/// The rules every object key follows, the same for every store so that a backup can move between them: '/'
/// separated segments of printable Unicode, no empty, <c>.</c> or <c>..</c> segment (nothing escapes the store's
/// root), no leading or trailing '/', no backslash, at most <see cref="MaxKeyBytes"/> UTF-8 bytes (S3's limit) and
/// <see cref="MaxSegmentBytes"/> per segment (a file name plus the <c>.sha256</c> beside it). Segments ending in
/// <see cref="ReservedSuffixes"/> are the filesystem store's own files.
/// </summary>
public static class BackupKey
{
    /// <summary>Longest key in UTF-8 bytes (S3 refuses longer ones).</summary>
    public const int MaxKeyBytes = 1024;

    /// <summary>Longest segment in UTF-8 bytes: 255 (a Linux file name) less the 7 of <c>.sha256</c>.</summary>
    public const int MaxSegmentBytes = 248;

    /// <summary>Segment endings kept for the stores' own files: the hash beside an object, an unfinished put.</summary>
    public static readonly IReadOnlyList<string> ReservedSuffixes = [".sha256", ".partial"];

    /// <summary>Throws <see cref="InvalidBackupKeyException"/> unless <paramref name="key"/> is a valid object key.</summary>
    public static void Validate(string key)
    {
        var problem = Check(key, isPrefix: false);
        if (problem is not null)
        {
            throw new InvalidBackupKeyException(key ?? "", problem);
        }
    }

    /// <summary>
    /// Throws <see cref="InvalidBackupKeyException"/> unless <paramref name="prefix"/> may start keys: "" (all), whole
    /// segments ending with '/', or whole segments and the start of one more.
    /// </summary>
    public static void ValidatePrefix(string prefix)
    {
        var problem = Check(prefix, isPrefix: true);
        if (problem is not null)
        {
            throw new InvalidBackupKeyException(prefix ?? "", problem);
        }
    }

    /// <summary>True when <paramref name="key"/> is a valid object key.</summary>
    public static bool IsValid(string key) => Check(key, isPrefix: false) is null;

    /// <summary>The key with control characters escaped and its length capped, for messages and logs.</summary>
    public static string Printable(string key)
    {
        var builder = new StringBuilder();
        foreach (var c in key.Length > 200 ? key[..200] : key)
        {
            if (char.IsControl(c) || char.IsSurrogate(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return key.Length > 200 ? builder.Append('…').ToString() : builder.ToString();
    }

    private static string? Check(string? key, bool isPrefix)
    {
        if (key is null)
        {
            return "it is missing.";
        }

        if (key.Length == 0)
        {
            return isPrefix ? null : "it is empty.";
        }

        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (char.IsControl(c))
            {
                return $"control character U+{(int)c:X4} at index {i}.";
            }

            if (c == '\\')
            {
                return $"backslash at index {i} (segments are separated by '/').";
            }

            if (char.IsHighSurrogate(c) && i + 1 < key.Length && char.IsLowSurrogate(key[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return $"unpaired surrogate at index {i} (not valid Unicode).";
            }
        }

        if (key[0] == '/')
        {
            return "it starts with '/' (keys are relative).";
        }

        if (Encoding.UTF8.GetByteCount(key) > MaxKeyBytes)
        {
            return $"longer than {MaxKeyBytes} UTF-8 bytes.";
        }

        var segments = key.Split('/');
        var whole = isPrefix ? segments.Length - 1 : segments.Length;
        for (var s = 0; s < segments.Length; s++)
        {
            var segment = segments[s];
            if (s >= whole)
            {
                // The start of a segment in a prefix: it only filters names, it never names a directory.
                continue;
            }

            if (segment.Length == 0)
            {
                return s == segments.Length - 1 ? "it ends with '/'." : "it has an empty segment ('//').";
            }

            if (segment is "." or "..")
            {
                return $"segment '{segment}' (keys cannot leave the store's root or name a directory itself).";
            }

            if (Encoding.UTF8.GetByteCount(segment) > MaxSegmentBytes)
            {
                return $"segment {s + 1} is longer than {MaxSegmentBytes} UTF-8 bytes.";
            }

            foreach (var suffix in ReservedSuffixes)
            {
                if (segment.EndsWith(suffix, StringComparison.Ordinal))
                {
                    return $"segment '{Printable(segment)}' ends with '{suffix}', kept for the store's own files.";
                }
            }
        }

        return null;
    }
}
