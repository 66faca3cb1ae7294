using System.Globalization;

namespace Piramid.Backups.Stores.S3;

/// <summary>
/// The ETag S3 computes, reproduced locally to check an upload without reading it back: the MD5 of a single-request
/// object, or for a multipart one the MD5 of its parts' MD5s followed by <c>-&lt;part count&gt;</c>.
/// </summary>
internal static class ObjectTag
{
    /// <summary>The ETag without its quotes, lower case.</summary>
    public static string Normalize(string? etag) => (etag ?? "").Trim('"').ToLowerInvariant();

    /// <summary>ETag of a single-request object.</summary>
    public static string Single(ReadOnlySpan<byte> md5) => Convert.ToHexStringLower(md5);

    /// <summary>ETag of a multipart object from its parts' MD5s, in part order.</summary>
    public static string Multipart(IReadOnlyList<byte[]> partMd5s)
    {
        var concatenated = partMd5s.SelectMany(m => m).ToArray();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Convert.ToHexStringLower(S3BackupStore.Md5(concatenated))}-{partMd5s.Count}");
    }
}
