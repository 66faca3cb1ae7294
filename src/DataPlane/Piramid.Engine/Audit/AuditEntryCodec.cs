using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Piramid.Engine.Audit;

/// <summary>A decoded audit payload: the entry, its chain links, and the canonical bytes the hash covers.</summary>
internal sealed record AuditPayload(AuditEntry Entry, byte[] PreviousHash, byte[] Hash, byte[] Canonical)
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
/// Audit payload layout (version 1): version u8, previous hash [32], hash [32], then the canonical entry:
/// sequence i64, UTC ticks i64, and five strings (principal, operation, collection, outcome, request id),
/// each an i32 UTF-8 byte length (-1 = null) and the bytes. All little-endian. See docs/design/audit-log.md.
/// </summary>
internal static class AuditEntryCodec
{
    public const byte Version = 1;
    public const int HashLength = 32;
    public const int MaxStringBytes = 16 * 1024;
    private const int CanonicalOffset = 1 + HashLength + HashLength;

    /// <summary>Encodes an entry with its chain links; the hash is computed unless <paramref name="hashOverride"/> is given (tests forge with it).</summary>
    public static byte[] Encode(AuditEntry entry, ReadOnlySpan<byte> previousHash, ReadOnlySpan<byte> hashOverride = default)
    {
        var canonical = Canonical(entry);
        var payload = new byte[CanonicalOffset + canonical.Length];
        payload[0] = Version;
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
        if (payload.Length < CanonicalOffset + 16 || payload[0] != Version)
        {
            return null;
        }

        var canonical = payload.AsSpan(CanonicalOffset);
        var sequence = BinaryPrimitives.ReadInt64LittleEndian(canonical);
        var ticks = BinaryPrimitives.ReadInt64LittleEndian(canonical[8..]);
        if (ticks is < 0 || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return null;
        }

        var rest = canonical[16..];
        if (!TryReadString(ref rest, out var principal) || principal is null
            || !TryReadString(ref rest, out var operation) || operation is null
            || !TryReadString(ref rest, out var collection)
            || !TryReadString(ref rest, out var outcome) || outcome is null
            || !TryReadString(ref rest, out var requestId)
            || !rest.IsEmpty)
        {
            return null;
        }

        var entry = new AuditEntry(sequence, new DateTimeOffset(ticks, TimeSpan.Zero), principal, operation, collection, outcome, requestId);
        return new AuditPayload(entry, payload[1..(1 + HashLength)], payload[(1 + HashLength)..CanonicalOffset], canonical.ToArray());
    }

    /// <summary>The entry hash: SHA-256(previous hash || canonical entry bytes).</summary>
    public static void ComputeHash(ReadOnlySpan<byte> previousHash, ReadOnlySpan<byte> canonical, Span<byte> destination)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(previousHash);
        sha.AppendData(canonical);
        sha.GetHashAndReset(destination);
    }

    private static byte[] Canonical(AuditEntry entry)
    {
        var size = 16 + Size(entry.Principal) + Size(entry.Operation) + Size(entry.Collection) + Size(entry.Outcome) + Size(entry.RequestId);
        var bytes = new byte[size];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, entry.Sequence);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), entry.Time.UtcTicks);
        var rest = bytes.AsSpan(16);
        WriteString(ref rest, entry.Principal);
        WriteString(ref rest, entry.Operation);
        WriteString(ref rest, entry.Collection);
        WriteString(ref rest, entry.Outcome);
        WriteString(ref rest, entry.RequestId);
        return bytes;
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
