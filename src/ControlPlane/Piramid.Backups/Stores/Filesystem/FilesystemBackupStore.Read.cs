using System.Runtime.CompilerServices;

namespace Piramid.Backups.Stores.Filesystem;

public sealed partial class FilesystemBackupStore
{
    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string key, string sha256Hex, CancellationToken ct)
    {
        var path = PathOf(key);
        var expected = Sha256Hex.Normalize(sha256Hex);
        if (!File.Exists(path))
        {
            throw new BackupObjectNotFoundException(key);
        }

        var stored = await HashFile.ReadAsync(path, key, ct)
            ?? throw new BackupObjectCorruptedException(key, $"its hash file '{Path.GetFileName(path)}{HashFile.Suffix}' is missing.");
        if (stored.Sha256Hex != expected)
        {
            throw new BackupObjectCorruptedException(key, $"it was stored with SHA-256 {stored.Sha256Hex}, {expected} expected.");
        }

        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        if (file.Length != stored.Size)
        {
            var actual = file.Length;
            await file.DisposeAsync();
            throw new BackupObjectCorruptedException(
                key, actual < stored.Size ? $"truncated: {actual} of {stored.Size} bytes." : $"{actual} bytes, {stored.Size} stored.");
        }

        return new VerifyingReadStream(file, key, stored.Size, expected);
    }

    /// <inheritdoc />
    public async Task<BackupObjectInfo?> StatAsync(string key, CancellationToken ct)
    {
        var path = PathOf(key);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return null;
        }

        var stored = await HashFile.ReadAsync(path, key, ct);
        return new BackupObjectInfo(key, file.Length, stored?.Sha256Hex, file.LastWriteTimeUtc);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<BackupObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        BackupKey.ValidatePrefix(prefix);
        EnsureRoot();
        // Only the directory of the prefix's whole segments can hold matches; the rest of the prefix filters names.
        var slash = prefix.LastIndexOf('/');
        var start = slash < 0 ? _root : Path.Combine(_root, prefix[..slash]);
        if (!Directory.Exists(start))
        {
            yield break;
        }

        var pending = new Stack<string>();
        pending.Push(start);
        while (pending.Count > 0)
        {
            ct.ThrowIfCancellationRequested();
            var directory = pending.Pop();
            var entries = new DirectoryInfo(directory).GetFileSystemInfos();
            Array.Sort(entries, (a, b) => string.CompareOrdinal(a.Name, b.Name));
            // Subdirectories after this directory's files, in name order (pushed in reverse onto the stack).
            for (var i = entries.Length - 1; i >= 0; i--)
            {
                var key = KeyOf(entries[i]);
                if (entries[i] is DirectoryInfo && key != PartialDirectoryName
                    && (key.StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(key + '/', StringComparison.Ordinal)))
                {
                    pending.Push(entries[i].FullName);
                }
            }

            foreach (var entry in entries)
            {
                var key = KeyOf(entry);
                if (entry is DirectoryInfo || !BackupKey.IsValid(key) || !key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    continue; // directories, hash files, and anything a key could not have written
                }

                var stored = await HashFile.ReadAsync(entry.FullName, key, ct);
                var info = (FileInfo)entry;
                yield return new BackupObjectInfo(key, info.Length, stored?.Sha256Hex, info.LastWriteTimeUtc);
            }
        }
    }

    private string KeyOf(FileSystemInfo entry) => Path.GetRelativePath(_root, entry.FullName).Replace(Path.DirectorySeparatorChar, '/');

    /// <inheritdoc />
    public Task DeleteAsync(string key, CancellationToken ct)
    {
        var path = PathOf(key);
        if (File.Exists(path) || File.Exists(path + HashFile.Suffix))
        {
            // The object first: from then on the key is absent, whatever happens to its hash file.
            File.Delete(path);
            File.Delete(path + HashFile.Suffix);
            DirectorySync.Sync(Path.GetDirectoryName(path)!);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<int> DeletePrefixAsync(string prefix, CancellationToken ct)
    {
        var keys = new List<string>();
        await foreach (var info in ListAsync(prefix, ct))
        {
            keys.Add(info.Key);
        }

        foreach (var key in keys)
        {
            await DeleteAsync(key, ct);
        }

        return keys.Count;
    }
}
