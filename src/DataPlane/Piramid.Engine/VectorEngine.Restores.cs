using System.Collections.Concurrent;
using System.Security.Cryptography;
using Piramid.Engine.Backups;
using Piramid.Engine.Collections;
using Piramid.Engine.Storage;

namespace Piramid.Engine;

/// <summary>
/// Staged restores (docs/design/backups.md): files are uploaded into <c>&lt;data&gt;/.restore-&lt;id&gt;/files/</c>, each
/// verified by its SHA-256; apply builds each restored collection beside the live ones, then switches the whole set in
/// behind one journal write (<c>VectorEngine.RestoreCommit.cs</c>). A restore killed before that write leaves the
/// previous data serving and its staging area is removed at start; one killed after it is finished at start.
/// </summary>
public sealed partial class VectorEngine
{
    private const string RestorePrefix = ".restore-";
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _restores = new(StringComparer.Ordinal);

    /// <summary>Opens an empty staging area and returns its id.</summary>
    public string CreateRestore()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        Directory.CreateDirectory(Path.Combine(RestoreDirectory(id), "files"));
        _restores[id] = new SemaphoreSlim(1, 1);
        return id;
    }

    /// <summary>
    /// Stores one file in a staging area, refusing (400, naming the path) a path the restore would not read, and
    /// content whose SHA-256 differs from <paramref name="sha256"/>; a refused file leaves nothing behind.
    /// </summary>
    public async Task<BackupFile> StageRestoreFileAsync(string restoreId, string path, Stream content, string? sha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!BackupPaths.IsValid(path))
        {
            throw EngineException.Invalid(
                $"'{Truncate(path)}' is not a file a restore reads: use datakey.wrapped or collections/<16 hex>/(manifest.bin|checkpoints/checkpoint-<20 digits>.ckpt|wal/wal-<20 digits>.seg).");
        }

        if (sha256 is null || sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
        {
            throw EngineException.Invalid($"'{path}': the X-Piramid-Sha256 header must be the file's SHA-256 as 64 lowercase hex digits.");
        }

        var gate = Restore(restoreId);
        await gate.WaitAsync(cancellationToken);
        try
        {
            var final = Path.Combine(RestoreDirectory(restoreId), "files", path);
            var part = final + ".part";
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            long size;
            string actual;
            try
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                await using (var file = new FileStream(part, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
                {
                    var buffer = new byte[1 << 16];
                    int read;
                    while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                        await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    }

                    await file.FlushAsync(cancellationToken);
                    file.Flush(flushToDisk: true);
                    size = file.Length;
                }

                actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            }
            catch
            {
                File.Delete(part);
                throw;
            }

            if (actual != sha256)
            {
                File.Delete(part);
                throw EngineException.Invalid(
                    $"'{path}': its content ({size} bytes) has SHA-256 {actual}, not {sha256} as X-Piramid-Sha256 says; the file is damaged or truncated and was not staged.");
            }

            File.Move(part, final, overwrite: true);
            FileSync.SyncDirectory(Path.GetDirectoryName(final)!);
            return new BackupFile(path, size, actual);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Discards a staging area; 404 when unknown.</summary>
    public async Task DiscardRestoreAsync(string restoreId)
    {
        var gate = Restore(restoreId);
        await gate.WaitAsync();
        try
        {
            _restores.TryRemove(restoreId, out _);
            TryDelete(RestoreDirectory(restoreId));
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Builds every chosen staged collection up to <paramref name="target"/>, then switches each in: in place (the live
    /// collection of that name is replaced only once the restored one is complete and durable) or under its new name
    /// from <paramref name="rename"/> (beside the live one; an existing name is a 409).
    /// </summary>
    public async Task<IReadOnlyList<RestoredCollectionInfo>> ApplyRestoreAsync(
        string restoreId, IReadOnlyList<string>? names, IReadOnlyDictionary<string, string>? rename, RestorePoint target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var gate = Restore(restoreId);
        await gate.WaitAsync();
        try
        {
            return await Task.Run(() => Apply(restoreId, names, rename ?? new Dictionary<string, string>(), target));
        }
        finally
        {
            gate.Release();
        }
    }

    private List<RestoredCollectionInfo> Apply(string restoreId, IReadOnlyList<string>? names, IReadOnlyDictionary<string, string> rename, RestorePoint target)
    {
        Health.ThrowIfReadOnly();
        var plan = RestorePlan.Make(RestoreDirectory(restoreId), _key, names, rename, _collections.ContainsKey);
        Step("verified");
        var built = new List<(RestorePlan.Item Item, string BuildDirectory, string NewId, RestoredCollectionInfo Info)>();
        foreach (var item in plan.Items)
        {
            var newId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            var buildDirectory = Path.Combine(RestoreDirectory(restoreId), "build", newId);
            try
            {
                var info = Collection.BuildRestored(
                    item.StagedDirectory, "collections/" + item.StagedId, buildDirectory, item.Config with { Name = item.TargetName }, _key, _options, target, Step);
                built.Add((item, buildDirectory, newId, info));
            }
            catch (StorageCorruptedException e)
            {
                throw EngineException.Invalid($"Staged files of '{item.Config.Name}' are refused: {e.Message}");
            }
        }

        Step("built");
        SwitchInAll(restoreId, [.. built.Select(b => (b.Item.TargetName, b.NewId))]);
        return [.. built.Select(b => b.Info)];
    }

    private void Step(string step)
    {
        if (_options.RestoreAbortStep == step)
        {
            // Test seam: dies like a SIGKILL at this step (docs/design/backups.md, "Crash safety").
            Environment.FailFast($"restore aborted at step '{step}' (test seam)");
        }
    }

    private SemaphoreSlim Restore(string restoreId) =>
        _restores.TryGetValue(restoreId, out var gate)
            ? gate
            : throw EngineException.NotFound($"Restore '{Truncate(restoreId)}' does not exist (discarded, or the engine restarted).");

    private string RestoreDirectory(string restoreId) => Path.Combine(_options.DataDirectory, RestorePrefix + restoreId);

    private void RemoveLeftoverRestores()
    {
        foreach (var directory in Directory.GetDirectories(_options.DataDirectory, RestorePrefix + "*"))
        {
            RollForward(directory); // a committed set finishes its switch; anything else never switched
            TryDelete(directory);
        }
    }

    private static string Truncate(string value) => value.Length <= 80 ? value : value[..80] + "…";
}
