using System.Diagnostics;
using System.Globalization;

namespace Piramid.TestKit.Postgres;

/// <summary>
/// A private PostgreSQL cluster for tests: <c>initdb</c> in a temp directory, started with <c>pg_ctl</c>
/// on a random loopback port (fsync off: tests need speed, not durability), stopped and deleted on dispose.
/// As root, the binaries run as the <c>postgres</c> user, since <c>initdb</c> refuses root.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";

    private readonly string _directory;
    private readonly bool _asPostgresUser;

    private PostgresServer(string directory, int port, bool asPostgresUser)
    {
        _directory = directory;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    /// <summary>The loopback port.</summary>
    public int Port { get; }

    /// <summary>The data directory.</summary>
    public string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>Connection string for <paramref name="database"/> as the <c>postgres</c> superuser.</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Include Error Detail=true";

    /// <summary>Initialises and starts a new cluster.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        if (!File.Exists(Path.Combine(BinDirectory, "initdb")))
        {
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({BinDirectory}/initdb missing): ./piramid installs it.");
        }

        var asPostgres = Environment.UserName == "root";
        var directory = Path.Combine(Path.GetTempPath(), $"piramid-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        if (asPostgres)
        {
            await RunAsync("chown", ["postgres:postgres", directory], false);
        }

        var server = new PostgresServer(directory, LoopbackPort.GetFree(), asPostgres);
        await server.PgAsync("initdb", ["-D", server.DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]);
        var options = string.Create(CultureInfo.InvariantCulture,
            $"-c listen_addresses=127.0.0.1 -p {server.Port} -k {directory} -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        await server.PgAsync("pg_ctl", ["-D", server.DataDirectory, "-o", options, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60", "start"]);
        return server;
    }

    /// <summary>Creates a database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await PgAsync("createdb", ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", name]);
        return ConnectionString(name);
    }

    /// <summary>Runs <c>pg_dump</c> of a database and returns the SQL text.</summary>
    public Task<string> DumpAsync(string database) =>
        PgAsync("pg_dump", ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "--inserts", database]);

    /// <summary>Stops the cluster and deletes its files.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await PgAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private Task<string> PgAsync(string tool, string[] args)
    {
        var path = Path.Combine(BinDirectory, tool);
        return _asPostgresUser ? RunAsync("runuser", ["-u", "postgres", "--", path, .. args], true) : RunAsync(path, args, true);
    }

    private static async Task<string> RunAsync(string file, string[] args, bool captureOutput)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}");
        }

        return captureOutput ? await stdout : string.Empty;
    }
}
