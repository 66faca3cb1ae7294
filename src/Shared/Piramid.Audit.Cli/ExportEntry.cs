using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Piramid.Audit.Cli;

/// <summary>
/// An engine entry of the export (<c>"source":"data"</c>) with the fields its hash covers. The canonical bytes are
/// the engine's (docs/design/audit-log.md, "Entry payload"): format 1 is sequence i64, UTC ticks i64, then principal,
/// operation, collection, outcome and request id, each an i32 UTF-8 length (-1 = null) and the bytes, little-endian;
/// format 2 starts with the byte 2 and ends with the LSN i64 and the point count i64 (-1 = none).
/// </summary>
/// <param name="Line">Line number in the export (1-based).</param>
/// <param name="Seq">Sequence.</param>
/// <param name="Time">Time (tick precision).</param>
/// <param name="Principal">The export's <c>actor</c>.</param>
/// <param name="Operation">The export's <c>action</c>.</param>
/// <param name="Collection">The export's <c>target_id</c> (empty = none).</param>
/// <param name="Outcome">The outcome.</param>
/// <param name="RequestId">The request id.</param>
/// <param name="PrevHash">The previous hash, hex.</param>
/// <param name="Hash">The hash, hex.</param>
/// <param name="Lsn">The write's LSN (format 2).</param>
/// <param name="Points">Points written or deleted (format 2).</param>
/// <param name="Format">The canonical format, 1 or 2.</param>
public sealed record ExportEntry(
    int Line, long Seq, DateTimeOffset Time, string Principal, string Operation, string? Collection, string Outcome, string? RequestId, string PrevHash, string Hash,
    long? Lsn = null, long? Points = null, int Format = 1)
{
    /// <summary>
    /// The hash the content and <see cref="PrevHash"/> give, lowercase hex; null when <see cref="PrevHash"/> is not 32
    /// bytes of hex, the format is unknown, or a format 1 entry claims an LSN or point count it cannot hold.
    /// </summary>
    public string? ComputeHash()
    {
        if (PrevHash.Length != 64 || !PrevHash.All(Uri.IsHexDigit) || Format is not (1 or 2)
            || (Format == 1 && (Lsn is not null || Points is not null)) || Lsn < 0 || Points < 0)
        {
            return null;
        }

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Convert.FromHexString(PrevHash));
        if (Format == 2)
        {
            sha.AppendData([2]);
        }

        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(number, Seq);
        sha.AppendData(number);
        BinaryPrimitives.WriteInt64LittleEndian(number, Time.UtcTicks);
        sha.AppendData(number);
        Span<byte> length = stackalloc byte[4];
        foreach (var value in new[] { Principal, Operation, Collection, Outcome, RequestId })
        {
            if (value is null)
            {
                BinaryPrimitives.WriteInt32LittleEndian(length, -1);
                sha.AppendData(length);
                continue;
            }

            var bytes = Encoding.UTF8.GetBytes(value);
            BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
            sha.AppendData(length);
            sha.AppendData(bytes);
        }

        if (Format == 2)
        {
            BinaryPrimitives.WriteInt64LittleEndian(number, Lsn ?? -1);
            sha.AppendData(number);
            BinaryPrimitives.WriteInt64LittleEndian(number, Points ?? -1);
            sha.AppendData(number);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
