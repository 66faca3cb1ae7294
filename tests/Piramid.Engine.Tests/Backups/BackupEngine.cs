using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Piramid.Engine.Backups;
using Piramid.Engine.Collections;
using Piramid.Engine.Commands;
using Piramid.Engine.Queries;
using Piramid.Engine.Tests.Storage;
using Piramid.KeyWrapping;

namespace Piramid.Engine.Tests.Backups;

/// <summary>An in-process engine for backup tests, with helpers to stage a snapshot's files into a restore.</summary>
internal sealed class BackupEngine : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly PlatformKey _key = PlatformKey.FromBase64(PlatformKey.GenerateBase64());

    private readonly EngineOptions _options;

    public BackupEngine(long walSegmentBytes = 64 * 1024 * 1024, TimeProvider? time = null, TimeSpan recoveryWindow = default, long unarchivedLimit = 1L << 40)
    {
        _options = new EngineOptions
        {
            DataDirectory = _directory.Path,
            MaintenanceInterval = TimeSpan.FromHours(1),
            CheckpointInterval = TimeSpan.FromDays(1),
            WalSegmentBytes = walSegmentBytes,
            Time = time ?? TimeProvider.System,
            RecoveryWindow = recoveryWindow,
            UnarchivedWalLimitBytes = unarchivedLimit,
        };
        Engine = VectorEngine.Open(_options, _key);
    }

    public VectorEngine Engine { get; private set; }

    /// <summary>Closes the engine cleanly and opens the same directory again (a restart).</summary>
    public async Task RestartAsync()
    {
        await Engine.DisposeAsync();
        Engine = VectorEngine.Open(_options, _key);
    }

    public string DataDirectory => _directory.Path;

    public Collection Create(string name, int dimension = 4, string index = "flat")
    {
        Engine.Create(name, new CreateCollection(dimension, "euclidean", new IndexSpec(index, 16, 64)), out _);
        return Engine.Get(name);
    }

    /// <summary>Stages every file of a snapshot (or the chosen ones) into a new restore; returns its id.</summary>
    public async Task<string> StageAsync(EngineSnapshot snapshot, Func<BackupFile, bool>? which = null)
    {
        var restore = Engine.CreateRestore();
        foreach (var file in snapshot.Files.Concat(snapshot.Collections.SelectMany(c => c.Files)).Where(which ?? (_ => true)))
        {
            await using var content = File.OpenRead(Engine.SnapshotFile(snapshot.Id, file.Path));
            await Engine.StageRestoreFileAsync(restore, file.Path, content, file.Sha256, CancellationToken.None);
        }

        return restore;
    }

    /// <summary>SHA-256 over every point's id, vector bytes and metadata text, in id order: equal iff the content is.</summary>
    public static string ContentHash(Collection collection)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        string? cursor = null;
        do
        {
            var page = collection.Scroll(new ScrollQuery { Limit = 1000, Cursor = cursor, IncludeVector = true, IncludeMetadata = true });
            foreach (var point in page.Items)
            {
                hash.AppendData(Encoding.UTF8.GetBytes(point.Id + "\n"));
                hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(point.Vector.AsSpan()));
                hash.AppendData(Encoding.UTF8.GetBytes((point.Metadata?.GetRawText() ?? "-") + "\n"));
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static NewPoint Point(string id, Random random, object? metadata = null) =>
        new(id, [.. Enumerable.Range(0, 4).Select(_ => (float)random.NextDouble())], metadata is null ? default : JsonSerializer.SerializeToElement(metadata));

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        _key.Dispose();
        _directory.Dispose();
    }
}
