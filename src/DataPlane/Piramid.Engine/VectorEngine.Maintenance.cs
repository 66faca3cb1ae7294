namespace Piramid.Engine;

/// <summary>Background work: checkpoints by size or age, revival of failed logs, storage sampling, audit fsync.</summary>
public sealed partial class VectorEngine
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _maintenance;

    /// <summary>Runs one round of maintenance now (tests and shutdown use it; the loop calls it too).</summary>
    public void RunMaintenance()
    {
        var now = _options.Time.GetUtcNow();
        var allWritable = true;
        foreach (var collection in _collections.Values)
        {
            if (Health.IsReadOnly && !collection.TryRevive())
            {
                allWritable = false;
                continue;
            }

            if (collection.NeedsCompaction)
            {
                collection.Compact();
            }

            collection.ReconnectGraph(now);

            if (collection.NeedsCheckpoint(now) && !collection.Checkpoint())
            {
                allWritable = false;
            }

            if (_options.RecoveryWindow > TimeSpan.Zero)
            {
                collection.SealIfOlderThan(now - _options.WalSealInterval);
            }
        }

        if (_options.RecoveryWindow > TimeSpan.Zero)
        {
            _heldLogs.PruneBefore(now - _options.RecoveryWindow);
        }

        if (Health.IsReadOnly && allWritable && ProbeDisk())
        {
            Health.MarkHealthy();
        }

        long bytes = 0;
        foreach (var collection in _collections.Values)
        {
            bytes += collection.BytesOnDisk();
        }

        Quotas.StorageBytes = bytes;
        ReleaseExpiredSnapshots(now);
        try
        {
            Audit.Flush();
        }
        catch (IOException e)
        {
            Health.MarkFailed(e.Message);
        }
    }

    private void StartMaintenance() =>
        _maintenance = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(_options.MaintenanceInterval, _options.Time);
            try
            {
                while (await timer.WaitForNextTickAsync(_stopping.Token))
                {
                    try
                    {
                        RunMaintenance();
                    }
                    catch (IOException e)
                    {
                        Health.MarkFailed(e.Message);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        });

    private async Task StopMaintenanceAsync()
    {
        await _stopping.CancelAsync();
        if (_maintenance is not null)
        {
            await _maintenance;
        }

        _stopping.Dispose();
    }

    /// <summary>True when the data directory accepts and syncs a small write (the gate reopens only then).</summary>
    private bool ProbeDisk()
    {
        var probe = Path.Combine(_options.DataDirectory, ".probe");
        try
        {
            using (var stream = new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(new byte[4096]);
                stream.Flush(flushToDisk: true);
            }

            File.Delete(probe);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
