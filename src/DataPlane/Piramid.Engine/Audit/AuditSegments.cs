using System.Globalization;
using Piramid.Engine.Crypto;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Audit;

/// <summary>Audit segment files <c>audit-&lt;first sequence:D20&gt;.log</c>: naming, listing and whole-file access.</summary>
internal static class AuditSegments
{
    public const byte EntryType = 1;
    private const string Prefix = "audit-";
    private const string Suffix = ".log";

    public static string FileName(long firstSequence) =>
        Prefix + firstSequence.ToString("D20", CultureInfo.InvariantCulture) + Suffix;

    /// <summary>Segment files in sequence order.</summary>
    public static List<(string Path, long FirstSequence)> List(string directory)
    {
        var result = new List<(string, long)>();
        if (!Directory.Exists(directory))
        {
            return result;
        }

        foreach (var path in Directory.EnumerateFiles(directory, Prefix + "*" + Suffix))
        {
            var name = Path.GetFileName(path);
            if (name.Length == Prefix.Length + 20 + Suffix.Length
                && long.TryParse(name.AsSpan(Prefix.Length, 20), NumberStyles.None, CultureInfo.InvariantCulture, out var first))
            {
                result.Add((path, first));
            }
        }

        result.Sort((a, b) => a.Item2.CompareTo(b.Item2));
        return result;
    }

    /// <summary>Reads a file that may be open for appending by the log.</summary>
    public static byte[] ReadAllShared(string path, long length = -1)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var size = (int)(length >= 0 ? Math.Min(length, stream.Length) : stream.Length);
        var data = new byte[size];
        stream.ReadExactly(data);
        return data;
    }

    /// <summary>Every payload of a segment, strictly (tests tamper with these).</summary>
    public static List<byte[]> ReadPayloads(string path, DataKey key) =>
        RecordScanner.ReadAll(path, ReadAllShared(path), key, FileKind.Audit).Select(r => r.Payload).ToList();

    /// <summary>Rewrites a segment with the given payloads under a fresh salt (the record LSN is each entry's sequence).</summary>
    public static void Rewrite(string path, DataKey key, IReadOnlyList<byte[]> payloads)
    {
        var salt = RecordFormat.NewSalt();
        using var cipher = key.CreateFileCipher(FileKind.Audit, salt);
        using var buffer = new RecordBuffer(4096);
        RecordFormat.WriteFileHeader(buffer.Reserve(RecordFormat.FileHeaderLength), FileKind.Audit, salt);
        for (var i = 0; i < payloads.Count; i++)
        {
            var sequence = AuditEntryCodec.TryDecode(payloads[i])?.Entry.Sequence ?? 0;
            RecordFormat.Encrypt(cipher, (ulong)i, sequence, EntryType, payloads[i], buffer.Reserve(payloads[i].Length + RecordFormat.RecordOverhead));
        }

        FileSync.WriteAtomic(path, buffer.Written);
    }
}
