using System.Security.Cryptography;
using System.Text;
using Piramid.Engine.Collections;
using Piramid.Engine.Commands;
using Piramid.Engine.Crypto;
using Piramid.Engine.Idempotency;
using Piramid.Engine.Tests.Storage;
using Piramid.TestKit.Time;

namespace Piramid.Engine.Tests.Idempotency;

/// <summary>
/// An in-process engine on a manual clock for idempotency tests: opened, closed cleanly (which checkpoints), or
/// "crashed" by opening a copy of its directory taken while it runs (what a kill leaves: the log, no final checkpoint).
/// </summary>
internal sealed class IdempotencyEngine : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _root = new();
    private readonly DataKey _key = DataKey.Generate();
    private readonly int _maxKeys;
    private string _directory;

    private IdempotencyEngine(int maxKeys)
    {
        _maxKeys = maxKeys;
        _directory = _root.Combine("data-0");
        Engine = Open();
    }

    public ManualClock Clock { get; } = new(Start);

    public VectorEngine Engine { get; private set; }

    public Collection Docs => Engine.Get("docs");

    public static IdempotencyEngine Start2D(int maxKeys = 100_000)
    {
        var harness = new IdempotencyEngine(maxKeys);
        harness.Engine.Create("docs", new CreateCollection(2, Index: new IndexSpec(CollectionConfig.Flat)), out _);
        return harness;
    }

    /// <summary>A key for a request: the scope and hash the HTTP host would give it.</summary>
    public static WriteIdempotency Key(string key, string body, string scope = "POST /v1/collections/docs/points") =>
        new(scope, key, SHA256.HashData(Encoding.UTF8.GetBytes(scope + "\n" + body)));

    /// <summary>Upserts point <paramref name="id"/> with a vector derived from <paramref name="body"/>.</summary>
    public Task<WriteResult> UpsertAsync(string id, int body, WriteIdempotency? key) =>
        Docs.UpsertAsync(new UpsertPoints([new NewPoint(id, [body, 1])]) { Idempotency = key });

    /// <summary>The stored vector of a point of docs.</summary>
    public float[] VectorOf(string id) => Docs.Get(id, includeVector: true, includeMetadata: false).Vector!;

    /// <summary>The LSN the next write gets: one past every record in the log.</summary>
    public async Task<long> NextLsnAsync() => (await UpsertAsync("probe", 0, null)).Lsn;

    /// <summary>Closes cleanly (a checkpoint of every collection) and opens again.</summary>
    public async Task ReopenAsync()
    {
        await Engine.DisposeAsync();
        Engine = Open();
    }

    /// <summary>Opens a copy of the running engine's directory (its log as a kill leaves it) and drops the original.</summary>
    public async Task CrashAndRecoverAsync()
    {
        var copy = _root.Combine("data-" + Guid.NewGuid().ToString("N"));
        CopyDirectory(_directory, copy);
        await Engine.DisposeAsync();
        _directory = copy;
        Engine = Open();
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        _key.Dispose();
        _root.Dispose();
    }

    private VectorEngine Open() => VectorEngine.Open(
        new EngineOptions
        {
            DataDirectory = _directory,
            Time = Clock,
            MaintenanceInterval = TimeSpan.FromHours(1),
            CheckpointInterval = TimeSpan.FromDays(1000),
            IdempotencyMaxKeys = _maxKeys,
        },
        DataKey.FromBytes(_key.Bytes));

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            if (Path.GetFileName(file) != "engine.lock")
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            }
        }

        foreach (var directory in Directory.GetDirectories(from))
        {
            CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)));
        }
    }
}
