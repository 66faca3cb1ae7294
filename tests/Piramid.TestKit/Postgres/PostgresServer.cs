using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace Piramid.TestKit.Postgres;

/// <summary>
/// A private PostgreSQL cluster for tests: <c>initdb</c> in a temp directory, started with <c>pg_ctl</c>
/// on a random loopback port (fsync off: tests need speed, not durability), stopped and deleted on dispose.
/// Passwords only (scram-sha-256, a random superuser password in the connection strings) and an owner-only
/// socket, as in <c>./piramid up</c>. As root, the server runs as the <c>postgres</c> user, since
/// <c>initdb</c> refuses root; that user cannot be assumed to traverse the temp directory (a 0700 home or
/// <c>mktemp -d</c> above it), so as root the cluster lives in <see cref="RootClusterParent"/> instead.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>Where clusters go when the tests run as root: root-owned, 0711, outside any checkout (docs/design/local-state.md).</summary>
    public const string RootClusterParent = "/var/lib/piramid/test-clusters";

    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private const UnixFileMode Traversable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private readonly string _directory;
    private readonly bool _asPostgresUser;
    private readonly string _password;

    private PostgresServer(string directory, int port, bool asPostgresUser, string password)
    {
        _directory = directory;
        Port = port;
        _asPostgresUser = asPostgresUser;
        _password = password;
    }

    /// <summary>The loopback port.</summary>
    public int Port { get; }

    /// <summary>The data directory.</summary>
    public string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>Connection string for <paramref name="database"/> as the <c>postgres</c> superuser.</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Password={_password};Database={database};Pooling=true;Include Error Detail=true";

    /// <summary>
    /// Initialises and starts a new cluster in <paramref name="temporaryDirectory"/> (default: the system temp
    /// folder), or in <see cref="RootClusterParent"/> when running as root.
    /// </summary>
    public static async Task<PostgresServer> StartAsync(string? temporaryDirectory = null)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The test PostgreSQL cluster runs on Linux only.");
        }

        if (!File.Exists(Path.Combine(BinDirectory, "initdb")))
        {
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({BinDirectory}/initdb missing): ./piramid installs it.");
        }

        var asPostgres = Environment.UserName == "root";
        var parent = temporaryDirectory ?? Path.GetTempPath();
        if (asPostgres)
        {
            parent = RootClusterParent;
            Directory.CreateDirectory(parent);
            File.SetUnixFileMode(Path.GetDirectoryName(parent)!, Traversable);
            File.SetUnixFileMode(parent, Traversable);
        }

        var directory = Path.Combine(parent, $"piramid-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var passwordFile = Path.Combine(directory, "initdb.pw");
        File.WriteAllText(passwordFile, password);
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (asPostgres)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", directory], false);
        }

        var server = new PostgresServer(directory, LoopbackPort.GetFree(), asPostgres, password);
        await server.PgAsync("initdb", ["-D", server.DataDirectory, "-U", "postgres", "--auth=scram-sha-256", $"--pwfile={passwordFile}", "-E", "UTF8", "--no-sync"]);
        File.Delete(passwordFile);
        // One cluster serves a whole test project and every host keeps its own connection pool: the default 100 ran out.
        var options = string.Create(CultureInfo.InvariantCulture,
            $"-c listen_addresses=127.0.0.1 -p {server.Port} -k {directory} -c unix_socket_permissions=0700 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=1000");
        await server.PgAsync("pg_ctl", ["-D", server.DataDirectory, "-o", options, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60", "start"]);
        return server;
    }

    /// <summary>
    /// Creates a database, empty or a copy of <paramref name="template"/> (which no session may be connected to), and
    /// returns its connection string.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string name, string? template = null)
    {
        string[] templateArgs = template is null ? [] : ["-T", template];
        await ClientAsync("createdb", ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", .. templateArgs, name]);
        return ConnectionString(name);
    }

    /// <summary>Runs <c>pg_dump</c> of a database and returns the SQL text.</summary>
    public Task<string> DumpAsync(string database) =>
        ClientAsync("pg_dump", ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "--inserts", database]);

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

    // Clients run as the current user (only the server refuses root), with the password in their environment.
    private Task<string> ClientAsync(string tool, string[] args) =>
        RunAsync(Path.Combine(BinDirectory, tool), args, true, _password);

    private static async Task<string> RunAsync(string file, string[] args, bool captureOutput, string? password = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.Environment.Remove("PGPASSWORD");
        if (password is not null)
        {
            info.Environment["PGPASSWORD"] = password;
        }

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
