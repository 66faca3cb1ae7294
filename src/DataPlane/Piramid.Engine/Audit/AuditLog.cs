using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Piramid.Engine.Crypto;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Audit;

/// <summary>
/// The tenant's append-only, encrypted, hash-chained audit log. Every open appends to a new segment
/// (fresh salt), so a record nonce is never reused. Layout in docs/design/audit-log.md.
/// </summary>
public sealed class AuditLog : IDisposable
{
    // Segments stay small enough to read whole when verifying.
    private const long SegmentBytes = 16 * 1024 * 1024;

    private readonly string _directory;
    private readonly DataKey _key;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private byte[] _lastHash;
    private long _lastSequence;
    private SafeFileHandle? _handle;
    private AesGcm? _cipher;
    private string? _path;
    private ulong _counter;
    private long _written;
    private bool _disposed;

    // The payload version appends use: always the current one, except in tests that write a version 1 log.
    internal byte WriteVersion { get; set; } = AuditEntryCodec.Version;

    private AuditLog(string directory, DataKey key, TimeProvider time, long lastSequence, byte[] lastHash)
    {
        _directory = directory;
        _key = key;
        _time = time;
        _lastSequence = lastSequence;
        _lastHash = lastHash;
    }

    /// <summary>Opens the log, continuing the chain after its last entry; appends go to a new segment.</summary>
    public static AuditLog Open(string directory, DataKey key, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(time);
        Directory.CreateDirectory(directory);
        var lastSequence = 0L;
        var lastHash = new byte[AuditEntryCodec.HashLength];
        var segments = AuditSegments.List(directory);
        for (var i = segments.Count - 1; i >= 0; i--)
        {
            if (ReadTail(segments[i].Path, key, i == segments.Count - 1) is { } last)
            {
                lastSequence = last.Entry.Sequence;
                lastHash = last.Hash;
                break;
            }
        }

        return new AuditLog(directory, key, time, lastSequence, lastHash);
    }

    /// <summary>Appends an entry (thread-safe); it is written to the OS before this returns.</summary>
    /// <param name="principal">Who acted.</param>
    /// <param name="operation">What was done.</param>
    /// <param name="collection">The collection, if any.</param>
    /// <param name="outcome">The result.</param>
    /// <param name="requestId">The request id, if any.</param>
    /// <param name="lsn">The write's LSN, when it wrote to a WAL.</param>
    /// <param name="points">How many points it wrote or deleted, when it did.</param>
    public AuditEntry Append(string principal, string operation, string? collection, string outcome, string? requestId, long? lsn = null, long? points = null)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(outcome);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var entry = new AuditEntry(_lastSequence + 1, _time.GetUtcNow().ToUniversalTime(), principal, operation, collection, outcome, requestId, lsn, points);
            var payload = AuditEntryCodec.Encode(entry, _lastHash, version: WriteVersion);
            EnsureSegment();
            var record = new byte[payload.Length + RecordFormat.RecordOverhead];
            RecordFormat.Encrypt(_cipher!, _counter, entry.Sequence, AuditSegments.EntryType, payload, record);
            try
            {
                RandomAccess.Write(_handle!, record, _written);
            }
            catch (IOException e)
            {
                // The counter was spent on bytes that may be on disk: never reuse it, start a new segment.
                AbandonSegment();
                throw new StorageFailedException($"Writing audit segment failed ({e.Message}); entry {entry.Sequence} was not recorded.", e);
            }

            _written += record.Length;
            _counter++;
            _lastSequence = entry.Sequence;
            _lastHash = AuditEntryCodec.TryDecode(payload)!.Hash;
            if (_written >= SegmentBytes)
            {
                CloseSegment();
            }

            return entry;
        }
    }

    /// <summary>Fsyncs what was appended.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_handle is not null)
            {
                RandomAccess.FlushToDisk(_handle);
            }
        }
    }

    /// <summary>Entries whose time lies in [<paramref name="from"/>, <paramref name="to"/>], in sequence order.</summary>
    public IEnumerable<AuditEntry> Read(DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var files = new List<(string Path, byte[] Data)>();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            foreach (var (path, _) in AuditSegments.List(_directory))
            {
                files.Add((path, AuditSegments.ReadAllShared(path, path == _path ? _written : -1)));
            }
        }

        var result = new List<AuditEntry>();
        foreach (var (path, data) in files)
        {
            foreach (var record in RecordScanner.ReadAll(path, data, _key, FileKind.Audit))
            {
                var entry = AuditEntryCodec.TryDecode(record.Payload)?.Entry
                    ?? throw new StorageCorruptedException($"{path}: malformed audit entry at offset {record.Frame.Offset}.");
                if ((from is null || entry.Time >= from) && (to is null || entry.Time <= to))
                {
                    result.Add(entry);
                }
            }
        }

        return result;
    }

    /// <summary>The newest entry's sequence and hash (0 and 32 zero bytes when the log is empty).</summary>
    public (long Sequence, byte[] Hash) Head
    {
        get
        {
            lock (_gate)
            {
                return (_lastSequence, _lastHash.ToArray());
            }
        }
    }

    /// <summary>
    /// Up to <paramref name="limit"/> entries after sequence <paramref name="after"/>, in order, with their chain
    /// links. Only the segments that can hold them are read (a segment's name is its first sequence).
    /// </summary>
    public IReadOnlyList<AuditChainEntry> ReadAfter(long after, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var files = new List<(string Path, byte[] Data)>();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var segments = AuditSegments.List(_directory);
            for (var i = 0; i < segments.Count; i++)
            {
                var path = segments[i].Path;
                // The next segment starts at or before after + 1: this one ends before it.
                if (i + 1 < segments.Count && segments[i + 1].FirstSequence <= after + 1)
                {
                    continue;
                }

                files.Add((path, AuditSegments.ReadAllShared(path, path == _path ? _written : -1)));
            }
        }

        var result = new List<AuditChainEntry>();
        foreach (var (path, data) in files)
        {
            foreach (var record in RecordScanner.ReadAll(path, data, _key, FileKind.Audit))
            {
                var payload = AuditEntryCodec.TryDecode(record.Payload)
                    ?? throw new StorageCorruptedException($"{path}: malformed audit entry at offset {record.Frame.Offset}.");
                if (payload.Entry.Sequence <= after)
                {
                    continue;
                }

                result.Add(new AuditChainEntry(payload.Entry, payload.PreviousHash, payload.Hash, payload.Version));
                if (result.Count == limit)
                {
                    return result;
                }
            }
        }

        return result;
    }

    /// <summary>Fsyncs and closes the current segment.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            CloseSegment();
        }
    }

    // The last entry of a segment; cuts a torn tail of the newest segment (deleting it when it holds no
    // entry: created but never written), refuses damage elsewhere.
    private static AuditPayload? ReadTail(string path, DataKey key, bool newest)
    {
        byte[]? last = null;
        var scan = RecordScanner.Scan(path, AuditSegments.ReadAllShared(path), key, FileKind.Audit, newest ? TornTail.Stop : TornTail.Fail, record =>
        {
            last = record.Payload;
            return true;
        }).ThrowIfDamaged();
        if (scan.Outcome == ScanOutcome.TornTail)
        {
            RecordScanner.CutTornTail(path, scan);
        }

        if (last is null)
        {
            return null;
        }

        return AuditEntryCodec.TryDecode(last) ?? throw new StorageCorruptedException($"{path}: the last audit entry is malformed.");
    }

    private void EnsureSegment()
    {
        if (_handle is not null)
        {
            return;
        }

        var salt = RecordFormat.NewSalt();
        var path = Path.Combine(_directory, AuditSegments.FileName(_lastSequence + 1));
        // A file of this name can hold no entry yet (entry _lastSequence + 1 does not exist): a leftover
        // of an abandoned segment, safe to replace.
        File.Delete(path);
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        Span<byte> header = stackalloc byte[RecordFormat.FileHeaderLength];
        RecordFormat.WriteFileHeader(header, FileKind.Audit, salt);
        RandomAccess.Write(handle, header, 0);
        RandomAccess.FlushToDisk(handle);
        FileSync.SyncDirectory(_directory);
        _handle = handle;
        _cipher = _key.CreateFileCipher(FileKind.Audit, salt);
        _path = path;
        _counter = 0;
        _written = header.Length;
    }

    private void AbandonSegment()
    {
        try
        {
            if (_handle is not null)
            {
                RandomAccess.SetLength(_handle, _written);
            }
        }
        catch (IOException)
        {
            // The next open treats the partial record as a torn tail only if no valid record follows it;
            // entries go to a new segment, so a leftover here shows up in the verifier.
        }

        CloseSegment();
    }

    private void CloseSegment()
    {
        if (_handle is not null)
        {
            try
            {
                RandomAccess.FlushToDisk(_handle);
            }
            finally
            {
                _handle.Dispose();
                _handle = null;
            }
        }

        _cipher?.Dispose();
        _cipher = null;
        _path = null;
    }
}
