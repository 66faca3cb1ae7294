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
            var data = AuditSegments.ReadAllShared(path);
            var name = Path.GetFileName(path);
            if (RecordFormat.CheckFileHeader(data, FileKind.Audit, out var salt) is { } headerProblem)
            {
                return Bad(expected, $"{name}: {headerProblem}.");
            }

            using var cipher = key.CreateFileCipher(FileKind.Audit, salt);
            var offset = RecordFormat.FileHeaderLength;
            ulong counter = 0;
            while (offset < data.Length)
            {
                var status = RecordFormat.TryFrame(data, offset, out var frame);
                if (status != RecordStatus.Ok)
                {
                    if (s == segments.Count - 1 && !RecordFormat.ValidRecordFollows(data, offset + 1))
                    {
                        break; // a torn tail from a crash; the log truncates it when next opened
                    }

                    return Bad(expected, RecordFileReader.Describe(name, offset, status));
                }

                var payload = new byte[frame.PayloadLength];
                if (!RecordFormat.TryDecrypt(cipher, counter, data, frame, payload))
                {
                    return Bad(expected, RecordFileReader.DescribeWrongKey(name, offset));
                }

                if (AuditEntryCodec.TryDecode(payload) is not { } entry || frame.Type != AuditSegments.EntryType)
                {
                    return Bad(expected, $"{name}: entry at offset {offset} is malformed.");
                }

                var sequence = entry.Entry.Sequence;
                if (sequence != expected || frame.Lsn != sequence)
                {
                    return Bad(expected, sequence > expected
                        ? $"{name}: entry {expected} is missing (found entry {sequence} at offset {offset}); entries were removed."
                        : $"{name}: found entry {sequence} at offset {offset} where {expected} belongs; an entry was inserted or reordered.");
                }

                if (counter == 0 && firstSequence != sequence)
                {
                    return Bad(expected, $"{name}: the segment is named for entry {firstSequence} but starts with entry {sequence}.");
                }

                if (!CryptographicOperations.FixedTimeEquals(entry.PreviousHash, previous))
                {
                    return Bad(expected, $"{name}: entry {expected} at offset {offset} does not link to the previous entry's hash; " +
                        "an entry before it was replaced or inserted.");
                }

                if (!entry.HashMatches())
                {
                    return Bad(expected, $"{name}: entry {expected} at offset {offset} does not match its hash; it was edited.");
                }

                previous = entry.Hash;
                expected++;
                counter++;
                offset = frame.End;
            }
        }

        return new AuditVerification(true, expected - 1, null, null);

        AuditVerification Bad(long sequence, string problem) => new(false, expected - 1, sequence, problem);
    }
}
