using System.Buffers.Binary;

namespace Piramid.Engine.Storage;

/// <summary>
/// The append time of a WAL record, for point-in-time recovery (docs/design/wal.md, "Append times"). A timed
/// record sets the high bit of its type byte and starts its plaintext with the <c>i64</c> Unix milliseconds at
/// which the log assigned its LSN; the caller's type and payload follow unchanged. Records of segments written
/// before (high bit clear) carry no time. Times never go backwards along the LSNs of one log.
/// </summary>
public static class WalTime
{
    /// <summary>The type-byte flag of a timed record.</summary>
    public const byte TimedFlag = 0x80;

    /// <summary>Bytes the time adds to a record's plaintext.</summary>
    public const int Length = 8;

    /// <summary>Splits a stored record into the caller's type, payload and time (0 when untimed).</summary>
    internal static WalRecord Decode(long lsn, byte storedType, byte[] plaintext, string path, int offset)
    {
        if ((storedType & TimedFlag) == 0)
        {
            return new WalRecord(lsn, storedType, plaintext);
        }

        var time = TimeOf(storedType, plaintext, path, offset);
        return new WalRecord(lsn, (byte)(storedType & ~TimedFlag), plaintext.AsMemory(Length), time);
    }

    /// <summary>The stored record's append time, 0 when untimed.</summary>
    internal static long TimeOf(byte storedType, ReadOnlySpan<byte> plaintext, string path, int offset)
    {
        if ((storedType & TimedFlag) == 0)
        {
            return 0;
        }

        return plaintext.Length >= Length
            ? BinaryPrimitives.ReadInt64LittleEndian(plaintext)
            : throw new StorageCorruptedException($"{path}: timed record at offset {offset} is shorter than its time.");
    }

    /// <summary>The time as an instant; null for 0 (unknown).</summary>
    public static DateTimeOffset? ToInstant(long unixMs) => unixMs == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(unixMs);
}
