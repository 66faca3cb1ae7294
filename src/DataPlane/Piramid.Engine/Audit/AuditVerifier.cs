using System.Security.Cryptography;
using Piramid.Engine.Crypto;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Audit;

/// <summary>
/// Checks an audit log end to end: every record frames and decrypts, sequences run 1, 2, 3 ... across
/// segments, each entry links to the previous entry's hash and its own hash matches its content.
/// Reports the first position where that fails. Removing the newest entries is invisible without an
/// external anchor (see docs/design/audit-log.md).
/// </summary>
public static class AuditVerifier
{
    /// <summary>Verifies the log in <paramref name="directory"/> with the tenant's data key.</summary>
    public static AuditVerification Verify(string directory, DataKey key)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(key);
        var expected = 1L;
        var previous = new byte[AuditEntryCodec.HashLength];
        var segments = AuditSegments.List(directory);
        for (var s = 0; s < segments.Count; s++)
        {
            var (path, firstSequence) = segments[s];
            var name = Path.GetFileName(path);
            string? problem = null;

            // A torn tail of the newest segment is a crash's leftover, which the log cuts when next opened.
            var tail = s == segments.Count - 1 ? TornTail.Stop : TornTail.Fail;
            var scan = RecordScanner.Scan(name, AuditSegments.ReadAllShared(path), key, FileKind.Audit, tail, record =>
            {
                problem = Check(record, name, firstSequence, expected, previous);
                if (problem is not null)
                {
                    return false;
                }

                previous = AuditEntryCodec.TryDecode(record.Payload)!.Hash;
                expected++;
                return true;
            });
            if (problem is not null)
            {
                return Bad(expected, problem);
            }

            if (scan.Outcome is ScanOutcome.Damaged or ScanOutcome.WrongKey)
            {
                return Bad(expected, scan.Problem!);
            }
        }

        return new AuditVerification(true, expected - 1, null, null);

        AuditVerification Bad(long sequence, string problem) => new(false, expected - 1, sequence, problem);
    }

    // The chain rules for one decrypted record; null when it holds.
    private static string? Check(ScannedRecord record, string name, long firstSequence, long expected, byte[] previous)
    {
        var offset = record.Frame.Offset;
        if (AuditEntryCodec.TryDecode(record.Payload) is not { } entry || record.Frame.Type != AuditSegments.EntryType)
        {
            return $"{name}: entry at offset {offset} is malformed.";
        }

        var sequence = entry.Entry.Sequence;
        if (sequence != expected || record.Frame.Lsn != sequence)
        {
            return sequence > expected
                ? $"{name}: entry {expected} is missing (found entry {sequence} at offset {offset}); entries were removed."
                : $"{name}: found entry {sequence} at offset {offset} where {expected} belongs; an entry was inserted or reordered.";
        }

        if (record.Index == 0 && firstSequence != sequence)
        {
            return $"{name}: the segment is named for entry {firstSequence} but starts with entry {sequence}.";
        }

        if (!CryptographicOperations.FixedTimeEquals(entry.PreviousHash, previous))
        {
            return $"{name}: entry {expected} at offset {offset} does not link to the previous entry's hash; " +
                "an entry before it was replaced or inserted.";
        }

        return entry.HashMatches() ? null : $"{name}: entry {expected} at offset {offset} does not match its hash; it was edited.";
    }
}
