using Microsoft.Win32.SafeHandles;
using Piramid.Engine.Crypto;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Tests.Storage;

public sealed class WalDurabilityTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly DataKey _key = DataKey.Generate();
    private int _syncs;
    private volatile bool _failSync;

    public void Dispose()
    {
        _key.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task WaitDurable_BatchWithManyConcurrentWriters_SharesOneFsync()
    {
        var time = new ManualTimeProvider();
        var policy = DurabilityPolicy.Parse("batch:5ms");
        await using var log = WriteAheadLog.Open(_temp.Path, _key, Options(policy, time), 0, _ => { });
        var syncsBefore = Volatile.Read(ref _syncs);
        var writeLock = new Lock();

        // 8 writers x 8 records, appending concurrently under one writer lock, each waiting for its records.
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(() =>
        {
            var waits = new List<Task>();
            for (var i = 0; i < 8; i++)
            {
                long lsn;
                lock (writeLock)
                {
                    lsn = log.Append(1, BitConverter.GetBytes((w * 8) + i));
                }

                waits.Add(log.WaitDurableAsync(lsn).AsTask());
            }

            return waits;
        })).ToArray();
        var waits = (await Task.WhenAll(writers)).SelectMany(w => w).ToList();

        await time.TimerCreated; // the flusher is holding its batch window open
        Assert.All(waits, w => Assert.False(w.IsCompleted));
        time.Advance(policy.BatchWindow);
        await Task.WhenAll(waits);

        Assert.Equal(64, log.DurableLsn);
        Assert.Equal(1, Volatile.Read(ref _syncs) - syncsBefore);
    }

    [Fact]
    public async Task WaitDurable_Always_FsyncsBeforeCompletingWithoutWindow()
    {
        // The clock never moves: a mode that waited for a window would hang here.
        await using var log = WriteAheadLog.Open(_temp.Path, _key, Options(DurabilityPolicy.Parse("always"), new ManualTimeProvider()), 0, _ => { });
        var syncsBefore = Volatile.Read(ref _syncs);
        for (var i = 1; i <= 3; i++)
        {
            var lsn = log.Append(1, [(byte)i]);
            Assert.True(log.DurableLsn < lsn);
            await log.WaitDurableAsync(lsn);
            Assert.Equal(i, Volatile.Read(ref _syncs) - syncsBefore);
            Assert.Equal(lsn, log.DurableLsn);
        }
    }

    [Fact]
    public async Task WaitDurable_FsyncFails_ThrowsThenTryRecoverContinuesWithDurableRecordsOnly()
    {
        var options = Options(DurabilityPolicy.Parse("always"), TimeProvider.System);
        await using (var log = WriteAheadLog.Open(_temp.Path, _key, options, 0, _ => { }))
        {
            for (var i = 1; i <= 3; i++)
            {
                await log.WaitDurableAsync(log.Append(1, [(byte)i]));
            }

            _failSync = true;
            var lost = log.Append(1, [0xEE]);
            var failure = await Assert.ThrowsAsync<StorageFailedException>(async () => await log.WaitDurableAsync(lost));
            Assert.IsType<IOException>(failure.InnerException);
            Assert.True(log.IsFailed);
            Assert.Equal(3, log.DurableLsn);
            Assert.Throws<StorageFailedException>(() => log.Append(1, [0xEF]));
            await Assert.ThrowsAsync<StorageFailedException>(async () => await log.WaitDurableAsync(lost));
            Assert.False(log.TryRecover()); // the disk still fails: stay failed

            _failSync = false;
            Assert.True(log.TryRecover());
            Assert.False(log.IsFailed);
            Assert.Equal(3, log.LastLsn);
            var next = log.Append(1, [4]);
            Assert.Equal(4, next);
            await log.WaitDurableAsync(next);
        }

        var replayed = new List<WalRecord>();
        await using var reopened = WriteAheadLog.Open(_temp.Path, _key, options, 0, replayed.Add);
        Assert.Equal([1L, 2, 3, 4], replayed.Select(r => r.Lsn));
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, replayed.Select(r => r.Payload.Span[0]));
    }

    [Fact]
    public async Task FlushAsync_NoneMode_MakesEverythingDurable()
    {
        await using (var log = WriteAheadLog.Open(_temp.Path, _key, Options(DurabilityPolicy.Parse("none"), TimeProvider.System), 0, _ => { }))
        {
            var lsn = log.Append(1, [1]);
            await log.WaitDurableAsync(lsn);
            var syncsBefore = Volatile.Read(ref _syncs);
            await log.FlushAsync();
            Assert.Equal(1, Volatile.Read(ref _syncs) - syncsBefore);
        }

        var replayed = new List<WalRecord>();
        await using var reopened = WriteAheadLog.Open(_temp.Path, _key, new WalOptions(), 0, replayed.Add);
        Assert.Single(replayed);
    }

    private WalOptions Options(DurabilityPolicy policy, TimeProvider time) => new()
    {
        Policy = policy,
        Time = time,
        BeforeSync = OnSync,
    };

    private void OnSync(SafeFileHandle handle)
    {
        if (_failSync)
        {
            throw new IOException("injected: fsync failed (EIO)");
        }

        Interlocked.Increment(ref _syncs);
    }
}
