using System.Security.Cryptography;

namespace Piramid.Engine.Backups;

/// <summary>SHA-256 of files, as lowercase hex.</summary>
public static class FileHash
{
    /// <summary>Hashes a whole file.</summary>
    public static string Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
