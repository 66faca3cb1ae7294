using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Piramid.Engine.Audit;

/// <summary>A decoded audit payload: the entry, its chain links, and the canonical bytes the hash covers.</summary>
internal sealed record AuditPayload(AuditEntry Entry, byte[] PreviousHash, byte[] Hash, byte[] Canonical, byte Version)
{
    /// <summary>True when <see cref="Hash"/> is SHA-256(previous hash || canonical bytes).</summary>
    public bool HashMatches()
    {
        Span<byte> computed = stackalloc byte[AuditEntryCodec.HashLength];
        AuditEntryCodec.ComputeHash(PreviousHash, Canonical, computed);
        return CryptographicOperations.FixedTimeEquals(computed, Hash);
    }
}

/// <summary>
/// Audit payload layout: version u8, previous hash [32], hash [32], then the canonical entry. Version 1: sequence
/// i64, UTC ticks i64, and five strings (principal, operation, collection, outcome, request id), each an i32 UTF-8
/// byte length (-1 = null) and the bytes. Version 2 (written since): the version byte 2, the same fields, then the
/// LSN i64 and the point count i64 (-1 = none). The version byte is inside version 2's canonical bytes, so an entry
/// cannot be passed off as the other version. All little-endian. See docs/design/audit-log.md.
/// </summary>
internal static class AuditEntryCodec
{
    /// <summary>The version <see cref="AuditLog"/> writes.</summary>
    public const byte Version = 2;

    /// <summary>The first version, still read and verified.</summary>
    public const byte Version1 = 1;
    public const int HashLength = 32;
    public const int MaxStringBytes = 16 * 1024;
    private const int CanonicalOffset = 1 + HashLength + HashLength;

    /// <summary>Encodes an entry with its chain links; the hash is computed unless <paramref name="hashOverride"/> is given (tests forge with it).</summary>
    /// <param name="entry">The entry; version 1 cannot carry an LSN or a point count.</param>
    /// <param name="previousHash">The previous entry's hash.</param>
    /// <param name="hashOverride">A hash to store instead of the computed one.</param>
    /// <param name="version">The payload version (tests write version 1 logs with it).</param>
    public static byte[] Encode(AuditEntry entry, ReadOnlySpan<byte> previousHash, ReadOnlySpan<byte> hashOverride = default, byte version = Version)
    {
        if (version is not (Version1 or Version) || (version == Version1 && (entry.Lsn is not null || entry.Points is not null)))
        {
            throw new ArgumentException($"Audit payload version {version} cannot hold this entry.", nameof(version));
        }

        var canonical = Canonical(entry, version);
        var payload = new byte[CanonicalOffset + canonical.Length];
        payload[0] = version;
        previousHash.CopyTo(payload.AsSpan(1, HashLength));
        if (hashOverride.IsEmpty)
        {
            ComputeHash(previousHash, canonical, payload.AsSpan(1 + HashLength, HashLength));
        }
        else
        {
            hashOverride.CopyTo(payload.AsSpan(1 + HashLength, HashLength));
        }

        canonical.CopyTo(payload.AsSpan(CanonicalOffset));
        return payload;
    }

    /// <summary>Decodes a payload; null when it is malformed.</summary>
    public static AuditPayload? TryDecode(byte[] payload)
    {
        var version = payload.Length > 0 ? payload[0] : (byte)0;
        var head = version == Version ? 1 : 0; // version 2's canonical bytes start with the version
        if (version is not (Version1 or Version) || payload.Length < CanonicalOffset + head + 16
            || (head == 1 && payload[CanonicalOffset] != Version))
        {
            return null;
        }

        var canonical = payload.AsSpan(CanonicalOffset);
        var fields = canonical[head..];
        var sequence = BinaryPrimitives.ReadInt64LittleEndian(fields);
        var ticks = BinaryPrimitives.ReadInt64LittleEndian(fields[8..]);
        if (ticks is < 0 || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return null;
        }

        var rest = fields[16..];
        if (!TryReadString(ref rest, out var principal) || principal is null
            || !TryReadString(ref rest, out var operation) || operation is null
            || !TryReadString(ref rest, out var collection)
            || !TryReadString(ref rest, out var outcome) || outcome is null
            || !TryReadString(ref rest, out var requestId))
        {
            return null;
        }

        long? lsn = null, points = null;
        if (version == Version)
        {
            if (rest.Length != 16 || !TryReadCount(rest, out lsn) || !TryReadCount(rest[8..], out points))
            {
                return null;
            }
        }
        else if (!rest.IsEmpty)
        {
            return null;
        }

        var entry = new AuditEntry(sequence, new DateTimeOffset(ticks, TimeSpan.Zero), principal, operation, collection, outcome, requestId, lsn, points);
        return new AuditPayload(entry, payload[1..(1 + HashLength)], payload[(1 + HashLength)..CanonicalOffset], canonical.ToArray(), version);
    }

    /// <summary>The entry hash: SHA-256(previous hash || canonical entry bytes).</summary>
    public static void ComputeHash(ReadOnlySpan<byte> previousHash, ReadOnlySpan<byte> canonical, Span<byte> destination)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(previousHash);
        sha.AppendData(canonical);
        sha.GetHashAndReset(destination);
    }

    private static byte[] Canonical(AuditEntry entry, byte version)
    {
        if (entry.Lsn < 0 || entry.Points < 0)
        {
            throw new ArgumentException("An audit entry's LSN and point count are not negative.", nameof(entry));
        }

        var head = version == Version ? 1 : 0;
        var tail = version == Version ? 16 : 0;
        var size = head + 16 + Size(entry.Principal) + Size(entry.Operation) + Size(entry.Collection) + Size(entry.Outcome) + Size(entry.RequestId) + tail;
        var bytes = new byte[size];
        if (head == 1)
        {
            bytes[0] = version;
        }

        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(head), entry.Sequence);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(head + 8), entry.Time.UtcTicks);
        var rest = bytes.AsSpan(head + 16);
        WriteString(ref rest, entry.Principal);
        WriteString(ref rest, entry.Operation);
        WriteString(ref rest, entry.Collection);
        WriteString(ref rest, entry.Outcome);
        WriteString(ref rest, entry.RequestId);
        if (tail > 0)
        {
            BinaryPrimitives.WriteInt64LittleEndian(rest, entry.Lsn ?? -1);
            BinaryPrimitives.WriteInt64LittleEndian(rest[8..], entry.Points ?? -1);
        }

        return bytes;
    }

    // An LSN or point count: -1 is none, other negatives are malformed.
    private static bool TryReadCount(ReadOnlySpan<byte> source, out long? value)
    {
        var raw = BinaryPrimitives.ReadInt64LittleEndian(source);
        value = raw == -1 ? null : raw;
        return raw >= -1;
    }

    private static int Size(string? value)
    {
        if (value is null)
        {
            return 4;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        if (length > MaxStringBytes)
        {
            throw new ArgumentException($"Audit fields are at most {MaxStringBytes} UTF-8 bytes.", nameof(value));
        }

        return 4 + length;
    }

    private static void WriteString(ref Span<byte> destination, string? value)
    {
        if (value is null)
        {
            BinaryPrimitives.WriteInt32LittleEndian(destination, -1);
            destination = destination[4..];
            return;
        }

        var written = Encoding.UTF8.GetBytes(value, destination[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(destination, written);
        destination = destination[(4 + written)..];
    }

    private static bool TryReadString(ref Span<byte> source, out string? value)
    {
        value = null;
        if (source.Length < 4)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(source);
        source = source[4..];
        if (length == -1)
        {
            return true;
        }

        if (length < 0 || length > MaxStringBytes || length > source.Length)
        {
            return false;
        }

        value = Encoding.UTF8.GetString(source[..length]);
        source = source[length..];
        return true;
    }
}
