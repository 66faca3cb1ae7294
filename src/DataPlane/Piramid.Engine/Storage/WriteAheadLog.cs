using System.Buffers.Binary;
using System.Diagnostics;
using Piramid.Engine.Crypto;

namespace Piramid.Engine.Storage;

/// <summary>
/// An encrypted, segmented write-ahead log with group commit. Append encrypts into an in-memory buffer
/// under a short lock; one flusher writes and fsyncs the buffer, and every waiter whose record it
/// covers shares that fsync. Format and recovery rules: docs/design/wal.md.
/// </summary>
public sealed partial class WriteAheadLog : IAsyncDisposable
{
    private readonly string _directory;
    private readonly DataKey _key;
    private readonly WalOptions _options;
    private readonly bool _syncEachFlush;
    private readonly Lock _stateLock = new(); // guards the buffer, LSNs, current segment and the waiter signal
    private readonly Lock _ioLock = new();    // one writer of the files at a time; taken before _stateLock
    private readonly List<ClosedSegment> _closed;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private RecordBuffer _pending = new(64 * 1024);
    private RecordBuffer _flushing = new(64 * 1024);
    private WalSegment _current;
    private TaskCompletionSource _nextFlush = NewSignal();
    private StorageFailedException? _failure;
    private Task _flushLoop = Task.CompletedTask;
    private ITimer? _intervalTimer;
    private long _lastLsn;
    private long _writtenLsn;
    private long _syncedLsn;
    private long _closedBytes;
    private long _lastTimeMs;
    private int _wakeRequested;
    private int _disposed;

    private WriteAheadLog(string directory, DataKey key, WalOptions options, List<ClosedSegment> closed, long lastLsn)
    {
        _directory = directory;
        _key = key;
        _options = options;
        _syncEachFlush = options.Policy.Mode is DurabilityMode.Always or DurabilityMode.Batch;
        _closed = closed;
        _closedBytes = closed.Sum(s => s.Bytes);
        _lastLsn = _writtenLsn = _syncedLsn = lastLsn;
        _lastTimeMs = closed.Count == 0 ? 0 : closed[^1].LastTimeMs;
        _current = WalSegment.Create(directory, lastLsn + 1, key);
    }

    /// <summary>Last appended (or replayed) LSN.</summary>
    public long LastLsn => Volatile.Read(ref _lastLsn);

    /// <summary>Highest LSN durable under the policy (fsynced for Always and Batch, written to the OS otherwise).</summary>
    public long DurableLsn => _syncEachFlush ? Volatile.Read(ref _syncedLsn) : Volatile.Read(ref _writtenLsn);

    /// <summary>Bytes of all segment files of this log.</summary>
    public long BytesOnDisk => Volatile.Read(ref _closedBytes) + _current.WrittenLength;

    /// <summary>True after a write or fsync failed, until <see cref="TryRecover"/> succeeds.</summary>
    public bool IsFailed => Volatile.Read(ref _failure) is not null;

    /// <summary>
    /// Opens (creating if absent) the log in <paramref name="directory"/>, replays every valid record with
    /// <c>Lsn &gt; afterLsn</c> in order, truncates a torn tail, then starts a new segment for appends.
    /// If it throws <see cref="StorageCorruptedException"/>, <paramref name="replay"/> may have seen a prefix; discard that state.
    /// </summary>
    public static WriteAheadLog Open(string directory, DataKey key, WalOptions options, long afterLsn, Action<WalRecord> replay)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(replay);
        ArgumentOutOfRangeException.ThrowIfNegative(afterLsn);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SegmentBytes, 4096);
        Directory.CreateDirectory(directory);
        var (segments, lastLsn) = WalRecovery.Run(directory, key, afterLsn, replay);
        var log = new WriteAheadLog(directory, key, options, segments, lastLsn);
        try
        {
            log._current.CreateFile(options.BeforeSync);
            FileSync.SyncDirectory(directory);
        }
        catch (IOException e)
        {
            log._current.Dispose();
            File.Delete(log._current.Path);
            throw new StorageFailedException($"Cannot start a new WAL segment in '{directory}': {e.Message}", e);
        }

        log.Start();
        return log;
    }

    /// <summary>
    /// Assigns the next LSN and its append time, and encrypts the record into the current segment's buffer.
    /// Callers serialise Append; rotates the segment once it passes <see cref="WalOptions.SegmentBytes"/>.
    /// </summary>
    public long Append(byte type, ReadOnlySpan<byte> payload)
    {
        if ((type & WalTime.TimedFlag) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "The high bit of a WAL record type marks its append time.");
        }

        if (payload.Length > RecordFormat.MaxPayloadLength - WalTime.Length)
        {
            throw new ArgumentException($"A WAL record payload is at most {RecordFormat.MaxPayloadLength} bytes.", nameof(payload));
        }

        long lsn;
        bool rotate;
        var started = Stopwatch.GetTimestamp();
        lock (_stateLock)
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            ThrowIfFailed();
            lsn = _lastLsn + 1;
            var segment = _current;
            var size = WalTime.Length + payload.Length + RecordFormat.RecordOverhead;
            var destination = _pending.Reserve(size);

            // Stamped under the lock that orders LSNs, and never behind the previous stamp, so times follow
            // LSNs and "every record appended at or before T" is a prefix of the log.
            var now = Math.Max(_options.Time.GetUtcNow().ToUnixTimeMilliseconds(), _lastTimeMs);
            _lastTimeMs = now;
            var plaintext = destination.Slice(RecordFormat.RecordHeaderLength, WalTime.Length + payload.Length);
            BinaryPrimitives.WriteInt64LittleEndian(plaintext, now);
            payload.CopyTo(plaintext[WalTime.Length..]);
            RecordFormat.Encrypt(segment.Cipher, segment.RecordCount, lsn, (byte)(type | WalTime.TimedFlag), plaintext, destination);
            segment.FirstTimeMs = segment.RecordCount == 0 ? now : segment.FirstTimeMs;
            segment.LastTimeMs = now;
            segment.RecordCount++;
            segment.AssignedBytes += size;
            Volatile.Write(ref _lastLsn, lsn);
            rotate = segment.AssignedBytes >= _options.SegmentBytes;
        }

        EngineMetrics.WalAppendDuration.Record(EngineMetrics.Seconds(started));

        if (rotate)
        {
            // A failure here marks the log failed; the caller learns it from WaitDurableAsync.
            lock (_ioLock)
            {
                RotateLocked();
            }
        }

        return lsn;
    }

    /// <summary>Completes when <paramref name="lsn"/> is durable under the policy; <see cref="StorageFailedException"/> if it never will be.</summary>
    public ValueTask WaitDurableAsync(long lsn, CancellationToken cancellationToken = default)
    {
        if (lsn <= DurableLsn)
        {
            return default;
        }

        Task signal;
        lock (_stateLock)
        {
            if (lsn <= DurableLsn)
            {
                return default;
            }

            if (_failure is { } failure)
            {
                return ValueTask.FromException(failure);
            }

            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(lsn, _lastLsn);

            // The next flush has not taken its snapshot yet, so it covers every record appended so far.
            signal = _nextFlush.Task;
        }

        Wake();
        return new ValueTask(cancellationToken.CanBeCanceled ? signal.WaitAsync(cancellationToken) : signal);
    }

    /// <summary>Writes and fsyncs everything appended so far, whatever the policy.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var target = LastLsn;
        return Task.Run(
            () =>
            {
                lock (_ioLock)
                {
                    FlushLocked(sync: true);
                }

                if (Volatile.Read(ref _syncedLsn) < target)
                {
                    ThrowIfFailed();
                }
            },
            cancellationToken);
    }

    /// <summary>Closes the current segment (written and fsynced) and starts a new one; no-op while it is empty.</summary>
    public void Rotate()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        lock (_ioLock)
        {
            RotateLocked();
        }

        ThrowIfFailed();
    }

    /// <summary>Deletes closed segments whose every record has <c>Lsn &lt;= lsn</c>; never the current one.</summary>
    public void RemoveSegmentsUpTo(long lsn)
    {
        lock (_ioLock)
        {
            var removed = 0;
            // A closed segment's last LSN is the next segment's first LSN minus one.
            while (removed < _closed.Count)
            {
                var nextFirst = removed + 1 < _closed.Count ? _closed[removed + 1].FirstLsn : _current.FirstLsn;
                if (nextFirst - 1 > lsn)
                {
                    break;
                }

                File.Delete(_closed[removed].Path);
                Interlocked.Add(ref _closedBytes, -_closed[removed].Bytes);
                removed++;
            }

            if (removed > 0)
            {
                _closed.RemoveRange(0, removed);
                FileSync.SyncDirectory(_directory);
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void ThrowIfFailed()
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            throw new StorageFailedException(failure.Message, failure.InnerException ?? failure);
        }
    }
}
