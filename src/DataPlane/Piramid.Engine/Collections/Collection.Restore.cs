using Piramid.Engine.Backups;
using Piramid.Engine.Crypto;
using Piramid.Engine.Idempotency;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Collections;

/// <summary>
/// Building a restored collection from staged files: newest staged checkpoint at or before the target, then the
/// staged log up to the target, then a fresh checkpoint of the result in a directory of the collection layout with an
/// empty log. Nothing live is touched here; the engine switches the result in afterwards (docs/design/backups.md).
/// </summary>
public sealed partial class Collection
{
    /// <summary>
    /// Builds <paramref name="buildDirectory"/> from the staged collection in <paramref name="stagedDirectory"/>;
    /// <paramref name="step"/> is called after each step (the test seam that kills the process there).
    /// Staged damage throws <see cref="StorageCorruptedException"/> naming the file by <paramref name="stagedPrefix"/>.
    /// </summary>
    internal static RestoredCollectionInfo BuildRestored(
        string stagedDirectory, string stagedPrefix, string buildDirectory, CollectionConfig config, DataKey key, EngineOptions options, RestorePoint target, Action<string> step)
    {
        System.IO.Directory.CreateDirectory(Path.Combine(buildDirectory, "wal"));
        System.IO.Directory.CreateDirectory(Path.Combine(buildDirectory, "checkpoints"));
        CollectionManifest.Write(buildDirectory, key, config);
        var ledger = new IdempotencyLedger(options.IdempotencyRetention, options.IdempotencyMaxKeys, options.Time);
        var quotas = new QuotaGuard(new EngineQuotas(), () => []);
        var building = new Collection(buildDirectory, config, key, options, new StorageHealth(), quotas, ledger);

        var lsn = 0L;
        var stagedCheckpoints = Path.Combine(stagedDirectory, "checkpoints");
        if (CheckpointStore.ListFiles(stagedCheckpoints).Count > 0)
        {
            using var checkpoint = CheckpointStore.LoadNewestAtOrBefore(stagedCheckpoints, key, target.Lsn ?? long.MaxValue)
                ?? throw new StorageCorruptedException(
                    $"{stagedPrefix}/checkpoints: no staged checkpoint at or before the target validates (damaged, truncated, or every one is after the target).");
            foreach (var record in CheckpointCodec.Decode(checkpoint, building._store))
            {
                ledger.Restore(building.IdempotencyOwner, record);
            }

            lsn = checkpoint.Lsn;
        }

        step("checkpoint-loaded");
        lsn = building.ReplayStaged(Path.Combine(stagedDirectory, "wal"), stagedPrefix + "/wal", key, lsn, target);
        if (target.Lsn is long wanted && lsn < wanted)
        {
            throw EngineException.Invalid($"'target.lsn': the staged log of '{config.Name}' ends at LSN {lsn}, before {wanted}.");
        }

        step("replayed");
        CheckpointStore.Write(Path.Combine(buildDirectory, "checkpoints"), key, lsn, CheckpointCodec.Encode(building._store, ledger.Snapshot(building.IdempotencyOwner)));
        FileSync.SyncDirectory(Path.Combine(buildDirectory, "wal"));
        FileSync.SyncDirectory(buildDirectory);
        step("checkpoint-written");
        return new RestoredCollectionInfo(config.Name, lsn, building._store.LiveCount);
    }

    // Replays the staged segments after `lsn` while the target includes them; returns the last LSN replayed.
    private long ReplayStaged(string walDirectory, string displayPrefix, DataKey key, long lsn, RestorePoint target)
    {
        var segments = new List<(string Path, long FirstLsn)>();
        if (System.IO.Directory.Exists(walDirectory))
        {
            foreach (var path in System.IO.Directory.EnumerateFiles(walDirectory))
            {
                if (WalSegment.TryParseName(path, out var first))
                {
                    segments.Add((path, first));
                }
            }
        }

        var done = false;
        foreach (var (path, _) in segments.OrderBy(s => s.FirstLsn))
        {
            var display = displayPrefix + "/" + Path.GetFileName(path);
            WalSegmentReader.Read(path, display, key, record =>
            {
                if (record.Lsn <= lsn)
                {
                    return true; // covered by the checkpoint
                }

                if (record.Lsn != lsn + 1)
                {
                    throw new StorageCorruptedException($"{display}: starts at LSN {record.Lsn} but the next record to replay is {lsn + 1}; a staged segment is missing.");
                }

                if (!target.Includes(record.Lsn, record.AppendedAtMs, display))
                {
                    done = true;
                    return false;
                }

                try
                {
                    Replay(record);
                }
                catch (InvalidDataException e)
                {
                    throw new StorageCorruptedException($"{display}: record {record.Lsn} does not decode ({e.Message}).");
                }

                lsn = record.Lsn;
                return true;
            });
            if (done)
            {
                break;
            }
        }

        return lsn;
    }
}
