using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Piramid.Backups.Stores.Filesystem;

/// <summary>
/// Objects as files under one directory (docs/design/backups.md, "Stores"): the key is the relative path, the
/// SHA-256 and size sit beside it in <c>&lt;file&gt;.sha256</c>. Puts are atomic and durable: written to
/// <c>.partial/</c>, fsynced, renamed into place, the directory fsynced. Files are 0600 and directories 0700:
/// backups are the tenants' data (encrypted, but still nobody else's business).
/// </summary>
public sealed partial class FilesystemBackupStore : IBackupStore
{
    /// <summary>Directory of unfinished puts, under the root (".partial" ends every name a key may not use).</summary>
    internal const string PartialDirectoryName = ".partial";

    private const UnixFileMode FileMode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode DirectoryMode0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    // A put older than this in .partial/ is a leftover of a crash: no put runs that long on one file.
    private static readonly TimeSpan StalePartialAge = TimeSpan.FromDays(1);

    private readonly string _root;
    private readonly string _partial;
    private readonly ILogger _logger;

    /// <summary>Opens (and creates) the store at <paramref name="directory"/>, removing stale leftovers of crashed puts.</summary>
    public FilesystemBackupStore(string directory, TimeProvider? time = null, ILogger<FilesystemBackupStore>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        _partial = Path.Combine(_root, PartialDirectoryName);
        _logger = logger ?? NullLogger<FilesystemBackupStore>.Instance;
        CreateDirectory(_root);
        CreateDirectory(_partial);
        RemoveStalePartials((time ?? TimeProvider.System).GetUtcNow());
    }

    /// <inheritdoc />
    public string Describe => $"filesystem:{_root}";

    /// <summary>The root directory.</summary>
    public string RootDirectory => _root;

    /// <summary>The file that holds <paramref name="key"/> (for tests that damage it).</summary>
    public string PathOf(string key)
    {
        BackupKey.Validate(key);
        EnsureRoot();
        var path = Path.GetFullPath(Path.Combine(_root, key));
        // BackupKey already refuses '..' and absolute keys; this keeps the invariant visible where it matters.
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidBackupKeyException(key, "it resolves outside the store's directory.");
        }

        return path;
    }

    /// <inheritdoc />
    public async Task PutAsync(string key, Stream content, long length, string sha256Hex, IProgress<long>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var path = PathOf(key);
        var expected = Sha256Hex.Normalize(sha256Hex);
        var directory = Path.GetDirectoryName(path)!;
        EnsureDirectories(key, directory);
        if (Directory.Exists(path))
        {
            throw new InvalidBackupKeyException(key, "other objects are stored under it, so the filesystem store cannot keep an object by that name.");
        }

        var temp = Path.Combine(_partial, Guid.NewGuid().ToString("N"));
        var tempHash = temp + HashFile.Suffix;
        try
        {
            await WriteVerifiedAsync(key, content, length, expected, temp, progress, ct);
            await using (var hashFile = CreateFile(tempHash))
            {
                await hashFile.WriteAsync(HashFile.Format(expected, length), ct);
                hashFile.Flush(flushToDisk: true);
            }

            // Hash file first: a crash between the renames leaves a new key invisible (no object file) and an
            // overwritten one refused on read (old bytes, new hash), never a wrong object accepted.
            File.Move(tempHash, path + HashFile.Suffix, overwrite: true);
            File.Move(temp, path, overwrite: true);
            DirectorySync.Sync(directory);
        }
        finally
        {
            File.Delete(temp);
            File.Delete(tempHash);
        }
    }

    private static async Task WriteVerifiedAsync(
        string key, Stream content, long length, string expected, string temp, IProgress<long>? progress, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            await using var file = CreateFile(temp);
            long written = 0;
            int read;
            while ((read = await content.ReadAsync(buffer, ct)) > 0)
            {
                if (written + read > length)
                {
                    throw new BackupObjectCorruptedException(key, $"the content offered is longer than the declared {length} bytes.");
                }

                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), ct);
                written += read;
                progress?.Report(written);
            }

            if (written != length)
            {
                throw new BackupObjectCorruptedException(key, $"the content offered ended after {written} of the declared {length} bytes.");
            }

            var actual = Sha256Hex.Of(hash.GetHashAndReset());
            if (actual != expected)
            {
                throw new BackupObjectCorruptedException(key, $"the content offered hashes to {actual}, {expected} declared.");
            }

            file.Flush(flushToDisk: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static FileStream CreateFile(string path)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode0600;
        }

        return new FileStream(path, options);
    }

    // Creates the missing directories between the root and the object one by one, each 0700 and each made
    // durable in its parent, so a crash after the put cannot lose the path to a durable file.
    private void EnsureDirectories(string key, string directory)
    {
        var relative = Path.GetRelativePath(_root, directory);
        if (relative == ".")
        {
            return;
        }

        var current = _root;
        foreach (var segment in relative.Split(Path.DirectorySeparatorChar))
        {
            var parent = current;
            current = Path.Combine(current, segment);
            if (File.Exists(current))
            {
                throw new InvalidBackupKeyException(
                    key, $"'{Path.GetRelativePath(_root, current).Replace(Path.DirectorySeparatorChar, '/')}' is an object, so the filesystem store cannot keep objects under it.");
            }

            if (!Directory.Exists(current))
            {
                CreateDirectory(current);
                DirectorySync.Sync(parent);
            }
        }
    }

    // A root that vanished is an unmounted or deleted volume: recreating it would put backups on the wrong disk
    // and report every object missing, so it is an error (and the health check reports it).
    private void EnsureRoot()
    {
        if (!Directory.Exists(_partial))
        {
            throw new DirectoryNotFoundException($"The backup store directory '{_root}' (or its {PartialDirectoryName}/) is missing: is its volume mounted?");
        }
    }

    private static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, DirectoryMode0700);
    }

    private void RemoveStalePartials(DateTimeOffset now)
    {
        foreach (var file in new DirectoryInfo(_partial).EnumerateFiles())
        {
            if (now - file.LastWriteTimeUtc > StalePartialAge)
            {
                file.Delete();
                LogStalePartialRemoved(file.Name, _root);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed '{File}', left by a put that crashed, from the backup store {Root}.")]
    private partial void LogStalePartialRemoved(string file, string root);
}
