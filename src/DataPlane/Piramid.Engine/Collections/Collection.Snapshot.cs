using Piramid.Engine.Storage;

namespace Piramid.Engine.Collections;

/// <summary>
/// Online snapshots: seal the log at the snapshot LSN and hard-link the immutable files that hold the state at that
/// LSN (manifest, newest checkpoint at or before it, the sealed segments after it). Neither the collection's lock
/// nor a copy of the data is involved: writers only wait for the one fsync that seals the segment.
/// </summary>
public sealed partial class Collection
{
    // Held while a checkpoint writes and prunes files and while a snapshot picks and links them, so a snapshot never
    // links a set that pruning has half removed.
    private readonly Lock _fileSetLock = new();

    /// <summary>
    /// Links the files of the collection's state at a fresh LSN into <paramref name="target"/> (created; same file
    /// system as the data directory) and returns that LSN and the linked files, relative to <paramref name="target"/>.
    /// </summary>
    internal (long Lsn, List<string> Files) LinkSnapshot(string target)
    {
        lock (_fileSetLock)
        {
            var wal = _wal;
            if (_closed || wal is null)
            {
                throw EngineException.NotFound($"Collection '{Config.Name}' does not exist.");
            }

            ThrowIfUnavailable();
            long lsn;
            try
            {
                lsn = wal.Seal();
            }
            catch (StorageFailedException e)
            {
                _health.MarkFailed(e.Message);
                throw EngineException.InsufficientStorage("The log could not be sealed for the snapshot; nothing was taken.", e);
            }

            var checkpoint = CheckpointStore.ListFiles(CheckpointDirectory).Where(c => c.Lsn <= lsn).OrderByDescending(c => c.Lsn).FirstOrDefault();
            var files = new List<string> { CollectionManifest.FileName };
            if (checkpoint.Path is not null)
            {
                files.Add(Path.Combine("checkpoints", Path.GetFileName(checkpoint.Path)));
            }

            var next = checkpoint.Lsn + 1;
            foreach (var segment in wal.SealedSegments())
            {
                if (segment.LastLsn < next || segment.FirstLsn > lsn)
                {
                    continue;
                }

                if (segment.FirstLsn > next)
                {
                    throw new StorageCorruptedException($"{segment.Path}: the log misses LSNs {next} to {segment.FirstLsn - 1} after the checkpoint.");
                }

                files.Add(Path.Combine("wal", Path.GetFileName(segment.Path)));
                next = segment.LastLsn + 1;
            }

            if (next <= lsn)
            {
                throw new StorageCorruptedException($"{WalDirectory}: the sealed log ends at LSN {next - 1}, before the snapshot LSN {lsn}.");
            }

            foreach (var file in files)
            {
                var destination = Path.Combine(target, file);
                System.IO.Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                FileSync.LinkOrCopy(Path.Combine(Directory, file), destination);
            }

            return (lsn, files);
        }
    }
}
