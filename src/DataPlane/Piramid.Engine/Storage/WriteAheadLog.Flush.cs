namespace Piramid.Engine.Storage;

/// <summary>The flusher, rotation, failure and recovery.</summary>
public sealed partial class WriteAheadLog
{
    /// <summary>
    /// After a failure: seals the failed segment at its last fsynced byte (or deletes it when nothing in it
    /// was durable), then opens a fresh segment continuing at <see cref="DurableLsn"/>+1. Records appended
    /// but never durable are discarded (their waiters already got <see cref="StorageFailedException"/>);
    /// afterwards <see cref="LastLsn"/> equals the durable LSN. False while the disk still fails.
    /// </summary>
    public bool TryRecover()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        lock (_ioLock)
        {
            if (_failure is null)
            {
                return true;
            }

            // After a failed fsync the page cache may have dropped dirty pages, so only bytes fsynced
            // before the failure are trusted; never retry the failed fsync into a false success.
            var synced = Volatile.Read(ref _syncedLsn);
            var failed = _current;
            WalSegment? next = null;
            try
            {
                if (failed.FirstLsn > synced)
                {
                    failed.Close();
                    File.Delete(failed.Path);
                }
                else if (failed.Handle is { } handle)
                {
                    RandomAccess.SetLength(handle, failed.SyncedLength);
                    failed.WrittenLength = failed.SyncedLength;
                    failed.Sync(_options.BeforeSync);
                }

                next = WalSegment.Create(_directory, synced + 1, _key);
                File.Delete(next.Path); // only a previous failed attempt can have left this name behind
                next.CreateFile(_options.BeforeSync);
                FileSync.SyncDirectory(_directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (next is not null)
                {
                    next.Dispose();
                    TryDelete(next.Path);
                }

                return false;
            }

            if (failed.FirstLsn <= synced)
            {
                _closed.Add(new ClosedSegment(failed.Path, failed.FirstLsn, synced, failed.SyncedLength, failed.FirstTimeMs, failed.LastTimeMs));
                Interlocked.Add(ref _closedBytes, failed.SyncedLength);
            }

            failed.Dispose();
            lock (_stateLock)
            {
                _pending.Clear();
                _flushing.Clear();
                Volatile.Write(ref _lastLsn, synced);
                Volatile.Write(ref _writtenLsn, synced);
                _current = next;
                _nextFlush = NewSignal();
                Volatile.Write(ref _failure, null);
            }

            return true;
        }
    }

    /// <summary>Writes and fsyncs what is buffered, closes every file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _intervalTimer?.Dispose();
        await _stopping.CancelAsync();
        await _flushLoop;
        lock (_ioLock)
        {
            FlushLocked(sync: true);
            TaskCompletionSource last;
            lock (_stateLock)
            {
                last = _nextFlush;
            }

            // A waiter that slipped in after the final flush must not hang.
            if (last.TrySetException(new ObjectDisposedException(nameof(WriteAheadLog))))
            {
                _ = last.Task.Exception;
            }

            _current.Dispose();
            _pending.Dispose();
            _flushing.Dispose();
        }

        _wake.Dispose();
        _stopping.Dispose();
    }

    private void Start()
    {
        _flushLoop = Task.Run(() => FlushLoopAsync(_stopping.Token));
        if (_options.Policy.Mode == DurabilityMode.Interval)
        {
            _intervalTimer = _options.Time.CreateTimer(_ => SyncOnTimer(), null, _options.Policy.Interval, _options.Policy.Interval);
        }
    }

    private void Wake()
    {
        if (Interlocked.Exchange(ref _wakeRequested, 1) == 0)
        {
            _wake.Release();
        }
    }

    private async Task FlushLoopAsync(CancellationToken stopping)
    {
        var window = _options.Policy.Mode == DurabilityMode.Batch ? _options.Policy.BatchWindow : TimeSpan.Zero;
        try
        {
            while (true)
            {
                await _wake.WaitAsync(stopping).ConfigureAwait(false);
                Volatile.Write(ref _wakeRequested, 0);
                if (window > TimeSpan.Zero)
                {
                    // Gather the writers that arrive within the window into this one fsync.
                    await Task.Delay(window, _options.Time, stopping).ConfigureAwait(false);
                }

                lock (_ioLock)
                {
                    FlushLocked(_syncEachFlush);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Disposal: the final flush happens in DisposeAsync.
        }
    }

    private void SyncOnTimer()
    {
        lock (_ioLock)
        {
            if (_disposed == 0)
            {
                FlushLocked(sync: true);
            }
        }
    }

    // Caller holds _ioLock. Writes the pending buffer to the current segment, fsyncs when asked, then
    // completes the signal every covered waiter holds. No allocation besides the next signal.
    private void FlushLocked(bool sync)
    {
        TaskCompletionSource signal;
        long endLsn;
        WalSegment segment;
        lock (_stateLock)
        {
            if (_failure is not null)
            {
                return;
            }

            (_pending, _flushing) = (_flushing, _pending);
            signal = _nextFlush;
            _nextFlush = NewSignal();
            endLsn = _lastLsn;
            segment = _current;
        }

        try
        {
            if (_flushing.Length > 0)
            {
                var handle = segment.Handle ?? throw new IOException($"WAL segment '{segment.Path}' is not open.");
                RandomAccess.Write(handle, _flushing.Written, segment.WrittenLength);
                segment.WrittenLength += _flushing.Length;
                _flushing.Clear();
            }

            if (sync && segment.SyncedLength < segment.WrittenLength)
            {
                segment.Sync(_options.BeforeSync);
            }

            if (sync)
            {
                Volatile.Write(ref _syncedLsn, endLsn);
            }

            Volatile.Write(ref _writtenLsn, endLsn);
            signal.TrySetResult();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _flushing.Clear();
            Fail(segment, e, signal);
        }
    }

    // Caller holds _ioLock.
    private void RotateLocked()
    {
        if (_failure is not null || _disposed != 0)
        {
            return;
        }

        WalSegment old;
        WalSegment next;
        while (true)
        {
            FlushLocked(sync: true);
            lock (_stateLock)
            {
                if (_failure is not null)
                {
                    return;
                }

                if (_current.RecordCount == 0)
                {
                    return; // an empty segment gains nothing from rotation, and its successor would reuse the name
                }

                if (_pending.Length == 0)
                {
                    old = _current;
                    next = WalSegment.Create(_directory, _lastLsn + 1, _key);
                    _current = next;
                    break;
                }
            }
        }

        old.Dispose();
        _closed.Add(new ClosedSegment(old.Path, old.FirstLsn, next.FirstLsn - 1, old.WrittenLength, old.FirstTimeMs, old.LastTimeMs));
        Interlocked.Add(ref _closedBytes, old.WrittenLength);
        try
        {
            next.CreateFile(_options.BeforeSync);
            FileSync.SyncDirectory(_directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail(next, e, null);
        }
    }

    private void Fail(WalSegment segment, Exception error, TaskCompletionSource? signal)
    {
        StorageFailedException failure;
        TaskCompletionSource next;
        lock (_stateLock)
        {
            failure = _failure ?? new StorageFailedException(
                $"Writing or syncing WAL segment '{segment.Path}' failed ({error.Message}); records after LSN " +
                $"{Volatile.Read(ref _syncedLsn)} are not durable and the log refuses writes until it recovers.", error);
            Volatile.Write(ref _failure, failure);
            Volatile.Write(ref _writtenLsn, Volatile.Read(ref _syncedLsn)); // unsynced bytes are not trusted
            next = _nextFlush;
        }

        foreach (var waiting in new[] { signal, next })
        {
            if (waiting is not null && waiting.TrySetException(failure))
            {
                _ = waiting.Task.Exception; // observed: a flush nobody waited for must not raise UnobservedTaskException
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: TryRecover deletes a leftover of this name before its next attempt.
        }
    }
}
