using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Piramid.Engine.Crypto;

namespace Piramid.Engine.Storage;

/// <summary>A closed WAL segment: its LSNs, size and the append times of its first and last records (0: unknown).</summary>
internal readonly record struct ClosedSegment(string Path, long FirstLsn, long LastLsn, long Bytes, long FirstTimeMs, long LastTimeMs);

/// <summary>
/// The segment the log appends to. It is created with a fresh salt (so a fresh subkey) and only this
/// object ever appends to it; once closed it is never reopened for writing. Counter = nonce.
/// </summary>
internal sealed class WalSegment : IDisposable
{
    public const string Prefix = "wal-";
    public const string Suffix = ".seg";

    private readonly byte[] _salt;

    private WalSegment(string path, long firstLsn, AesGcm cipher, byte[] salt)
    {
        Path = path;
        FirstLsn = firstLsn;
        Cipher = cipher;
        _salt = salt;
        AssignedBytes = RecordFormat.FileHeaderLength;
    }

    public string Path { get; }

    public long FirstLsn { get; }

    public AesGcm Cipher { get; }

    public SafeFileHandle? Handle { get; private set; }

    /// <summary>Records encrypted for this segment (buffered or written); the next record's nonce.</summary>
    public ulong RecordCount { get; set; }

    /// <summary>Header plus every record encrypted for this segment, written or not.</summary>
    public long AssignedBytes { get; set; }

    public long WrittenLength { get; set; }

    /// <summary>Append time of the first record encrypted for this segment (0 while empty).</summary>
    public long FirstTimeMs { get; set; }

    /// <summary>Append time of the last record encrypted for this segment.</summary>
    public long LastTimeMs { get; set; }

    public long SyncedLength { get; set; }

    public static string FileName(long firstLsn) =>
        Prefix + firstLsn.ToString("D20", CultureInfo.InvariantCulture) + Suffix;

    /// <summary>Parses the first LSN from a segment file name; false for foreign files.</summary>
    public static bool TryParseName(string path, out long firstLsn)
    {
        var name = System.IO.Path.GetFileName(path);
        firstLsn = 0;
        return name.Length == Prefix.Length + 20 + Suffix.Length
            && name.StartsWith(Prefix, StringComparison.Ordinal)
            && name.EndsWith(Suffix, StringComparison.Ordinal)
            && long.TryParse(name.AsSpan(Prefix.Length, 20), NumberStyles.None, CultureInfo.InvariantCulture, out firstLsn);
    }

    /// <summary>A new segment object (salt and subkey); the file is created by <see cref="CreateFile"/>.</summary>
    public static WalSegment Create(string directory, long firstLsn, DataKey key)
    {
        var salt = RecordFormat.NewSalt();
        return new WalSegment(System.IO.Path.Combine(directory, FileName(firstLsn)), firstLsn, key.CreateFileCipher(FileKind.Wal, salt), salt);
    }

    /// <summary>Creates the file (never over an existing one), writes the header and fsyncs it.</summary>
    public void CreateFile(Action<SafeFileHandle>? beforeSync)
    {
        Handle = File.OpenHandle(Path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        Span<byte> header = stackalloc byte[RecordFormat.FileHeaderLength];
        RecordFormat.WriteFileHeader(header, FileKind.Wal, _salt);
        RandomAccess.Write(Handle, header, 0);
        WrittenLength = header.Length;
        Sync(beforeSync);
    }

    /// <summary>Fsyncs everything written so far.</summary>
    public void Sync(Action<SafeFileHandle>? beforeSync)
    {
        var handle = Handle ?? throw new IOException($"WAL segment '{Path}' is not open.");
        beforeSync?.Invoke(handle);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        RandomAccess.FlushToDisk(handle);
        EngineMetrics.WalFsyncDuration.Record(EngineMetrics.Seconds(started));
        SyncedLength = WrittenLength;
    }

    /// <summary>Closes the file handle (idempotent); the segment is never written again.</summary>
    public void Close()
    {
        Handle?.Dispose();
        Handle = null;
    }

    public void Dispose()
    {
        Close();
        Cipher.Dispose();
    }
}
