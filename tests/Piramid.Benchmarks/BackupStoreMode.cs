using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Piramid.Backups.Configuration;
using Piramid.Backups.Stores;
using Piramid.Backups.Stores.Filesystem;
using Piramid.Backups.Stores.S3;
using Piramid.TestKit.S3;

namespace Piramid.Benchmarks;

/// <summary>
/// Throughput of a backup store: verified puts and verified reads of one object of <c>--size-mib</c>, on the
/// filesystem store (a temp directory) or the S3 store against a local moto_server (loopback, so the figure is
/// the store's and moto's cost, not a network's). Puts include hashing, the upload and the check after it.
/// </summary>
internal sealed class BackupStoreMode : IBenchmarkMode
{
    public string Name => "backupstore";

    public string Usage => "[--store filesystem|s3] [--size-mib 128] [--runs 3]";

    public int Run(BenchmarkArgs args)
    {
        var kind = args.GetString("store") ?? "filesystem";
        var sizeMiB = args.GetInt("size-mib", 128, min: 1);
        var runs = args.GetInt("runs", 3, min: 1);
        args.ThrowIfUnused();
        return RunAsync(kind, sizeMiB, runs).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(string kind, int sizeMiB, int runs)
    {
        var bytes = new byte[sizeMiB << 20];
        new Random(1).NextBytes(bytes);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var directory = EngineBench.TempDirectory("backupstore");
        MotoServer? moto = null;
        try
        {
            IBackupStore store;
            if (kind == "s3")
            {
                moto = await MotoServer.StartAsync();
                var options = new S3StoreOptions
                {
                    ServiceUrl = moto.ServiceUrl.ToString(),
                    Bucket = await moto.CreateBucketAsync(),
                    AccessKey = MotoServer.AccessKey,
                    SecretKey = MotoServer.SecretKey,
                    ForcePathStyle = true,
                };
                store = new S3BackupStore(S3ClientFactory.Create(options), options, ownsClient: true);
            }
            else
            {
                store = new FilesystemBackupStore(Path.Combine(directory, "store"));
            }

            Console.WriteLine($"store: {store.Describe}, object {sizeMiB} MiB, {runs} runs");
            for (var run = 1; run <= runs; run++)
            {
                var key = $"bench/{run}";
                var clock = Stopwatch.StartNew();
                await store.PutAsync(key, new MemoryStream(bytes, writable: false), bytes.Length, sha, null, default);
                var put = clock.Elapsed.TotalSeconds;
                clock.Restart();
                await using (var read = await store.OpenReadAsync(key, sha, default))
                {
                    await read.CopyToAsync(Stream.Null);
                }

                var get = clock.Elapsed.TotalSeconds;
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture, $"run {run}: put {sizeMiB / put:F1} MiB/s ({put:F2} s), verified read {sizeMiB / get:F1} MiB/s ({get:F2} s)"));
                await store.DeleteAsync(key, default);
            }

            (store as IDisposable)?.Dispose();
            return 0;
        }
        finally
        {
            if (moto is not null)
            {
                await moto.DisposeAsync();
            }

            Directory.Delete(directory, recursive: true);
        }
    }
}
