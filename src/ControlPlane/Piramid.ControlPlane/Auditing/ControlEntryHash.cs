using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Auditing;

/// <summary>
/// The hash of a chained control-plane event (format 1, docs/design/audit-log.md "Control-plane chain"):
/// SHA-256(previous hash ‖ canonical bytes), the canonical bytes being the byte 0x43 ('C', so no engine entry hashes
/// alike), sequence i64, UTC ticks i64 (whole microseconds, as PostgreSQL keeps them), then actor, action, target type,
/// target id, tenant id, request id, before and after (<see cref="CanonicalJson"/>), each an i32 UTF-8 length (-1 =
/// null) and the bytes, little-endian. The verifier's copy is <c>src/Shared/Piramid.Audit.Cli/ControlEntry.cs</c>.
/// </summary>
public static class ControlEntryHash
{
    /// <summary>The previous hash of a chain's first event.</summary>
    public static readonly string Zero = new('0', 64);

    /// <summary>The event's hash from its fields, <see cref="AuditEvent.ChainSeq"/> and <see cref="AuditEvent.PrevHash"/>.</summary>
    public static string Compute(AuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Convert.FromHexString(e.PrevHash ?? throw new ArgumentException("The event is not linked.", nameof(e))));
        sha.AppendData("C"u8);
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(number, e.ChainSeq ?? throw new ArgumentException("The event is not linked.", nameof(e)));
        sha.AppendData(number);
        BinaryPrimitives.WriteInt64LittleEndian(number, e.Time.UtcTicks);
        sha.AppendData(number);
        foreach (var text in new[] { e.Actor, e.Action, e.TargetType, e.TargetId, e.TenantId, e.RequestId })
        {
            Append(sha, text is null ? null : Encoding.UTF8.GetBytes(text));
        }

        Append(sha, e.Before is null ? null : CanonicalJson.Of(e.Before));
        Append(sha, e.After is null ? null : CanonicalJson.Of(e.After));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>A time as PostgreSQL stores it: whole microseconds, UTC.</summary>
    public static DateTimeOffset ToStoredPrecision(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % 10), TimeSpan.Zero);

    private static void Append(IncrementalHash sha, byte[]? bytes)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, bytes?.Length ?? -1);
        sha.AppendData(length);
        if (bytes is not null)
        {
            sha.AppendData(bytes);
        }
    }
}
