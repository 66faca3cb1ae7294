using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Piramid.Audit.Cli;

/// <summary>
/// A control-plane event of the export (<c>"source":"control"</c>). A chained one (it has a <see cref="Hash"/>) hashes
/// as the control plane's <c>Auditing/ControlEntryHash.cs</c> does (docs/design/audit-log.md, "Control-plane chain"):
/// SHA-256(previous hash ‖ 'C' ‖ seq i64 ‖ UTC ticks i64 ‖ actor, action, target type, target id, tenant id, request id,
/// canonical before, canonical after, each an i32 UTF-8 length (-1 = null) and the bytes), little-endian.
/// </summary>
/// <param name="Line">Line number in the export (1-based).</param>
/// <param name="Seq">Sequence in the tenant's control chain (the event id when unchained).</param>
/// <param name="Time">Time.</param>
/// <param name="Actor">Who.</param>
/// <param name="Action">What.</param>
/// <param name="TargetType">Target kind.</param>
/// <param name="TargetId">Target id.</param>
/// <param name="TenantId">Tenant.</param>
/// <param name="RequestId">Request id.</param>
/// <param name="Before">State before.</param>
/// <param name="After">State after.</param>
/// <param name="PrevHash">The previous hash, hex; null when unchained.</param>
/// <param name="Hash">The hash, hex; null when unchained.</param>
public sealed record ControlEntry(
    int Line, long Seq, DateTimeOffset Time, string Actor, string Action, string TargetType, string TargetId, string? TenantId, string? RequestId,
    JsonElement? Before, JsonElement? After, string? PrevHash, string? Hash)
{
    /// <summary>Whether the control plane chains events of this action; refusal counts (<c>auth.failed*</c>), which retention folds, it does not.</summary>
    public bool IsChainedAction => !Action.StartsWith("auth.failed", StringComparison.Ordinal);

    /// <summary>The hash the content and <see cref="PrevHash"/> give, lowercase hex; null when <see cref="PrevHash"/> is not 32 bytes of hex.</summary>
    public string? ComputeHash()
    {
        if (PrevHash is not { Length: 64 } || !PrevHash.All(Uri.IsHexDigit))
        {
            return null;
        }

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Convert.FromHexString(PrevHash));
        sha.AppendData("C"u8);
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(number, Seq);
        sha.AppendData(number);
        BinaryPrimitives.WriteInt64LittleEndian(number, Time.UtcTicks);
        sha.AppendData(number);
        foreach (var text in new[] { Actor, Action, TargetType, TargetId, TenantId, RequestId })
        {
            Append(sha, text is null ? null : Encoding.UTF8.GetBytes(text));
        }

        Append(sha, Before is { } before ? CanonicalJson.Of(before) : null);
        Append(sha, After is { } after ? CanonicalJson.Of(after) : null);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

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
