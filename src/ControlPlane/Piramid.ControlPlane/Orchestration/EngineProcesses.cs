using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Piramid.ControlPlane.Orchestration;

/// <summary>Starting, finding and signalling engine processes through the OS (Linux: /proc and signals).</summary>
internal static class EngineProcesses
{
    /// <summary>SIGTERM: the engine drains, flushes and checkpoints.</summary>
    public const int SigTerm = 15;

    /// <summary>SIGKILL.</summary>
    public const int SigKill = 9;

    /// <summary>Environment variable naming the data directory; it identifies an engine in /proc.</summary>
    public const string DataDirectoryVariable = "Engine__DataDirectory";

    /// <summary>Environment variable naming the tenant.</summary>
    public const string TenantVariable = "Engine__TenantId";

    /// <summary>Environment variable with the listen URL.</summary>
    public const string UrlsVariable = "ASPNETCORE_URLS";

    // Only these variables of the control plane reach an engine: the control plane's own secrets
    // (database connection string, signing keys) must not.
    private static readonly string[] InheritedVariables = ["PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "DOTNET_ROOT"];

    /// <summary>
    /// Starts the engine. <c>sh</c> points stdout and stderr at the log file and execs <c>setsid</c>, which
    /// execs the engine: one pid throughout, in a session of its own and with no pipe to the control plane,
    /// so the engine survives the control plane's exit (or a kill of its process group) and can be adopted.
    /// With <paramref name="uid"/>, <c>setpriv</c> drops to that uid before the engine runs; the log file is
    /// opened before, so the engine needs no access to the logs directory.
    /// </summary>
    public static Process Launch(string engineBinary, string logFile, IReadOnlyDictionary<string, string> environment, int? uid)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec >>\"$0\" 2>&1 </dev/null; exec setsid \"$@\"");
        info.ArgumentList.Add(logFile);
        if (uid is { } id)
        {
            foreach (var argument in EngineAccounts.DropTo(id))
            {
                info.ArgumentList.Add(argument);
            }
        }

        if (engineBinary.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            info.ArgumentList.Add(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet");
        }

        info.ArgumentList.Add(engineBinary);
        info.Environment.Clear();
        foreach (var name in InheritedVariables)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                info.Environment[name] = value;
            }
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return Process.Start(info) ?? throw new InvalidOperationException($"Cannot start the engine '{engineBinary}'.");
    }

    /// <summary>True while the process exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true; // It exists; it is just not ours to read.
        }

        // "pid (comm) S ...": comm may hold spaces and parentheses, so the state follows the last ')'.
        var end = stat.LastIndexOf(')');
        return end > 0 && end + 2 < stat.Length && stat[end + 2] is not ('Z' or 'X');
    }

    /// <summary>The environment a process was started with; null when it is gone or unreadable.</summary>
    public static Dictionary<string, string>? ReadEnvironment(int pid)
    {
        byte[] raw;
        try
        {
            raw = File.ReadAllBytes($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/environ");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in Encoding.UTF8.GetString(raw).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                result[entry[..equals]] = entry[(equals + 1)..];
            }
        }

        return result;
    }

    /// <summary>True when <paramref name="pid"/> is alive and is an engine for <paramref name="dataDirectory"/> (guards against pid reuse).</summary>
    public static bool Serves(int pid, string dataDirectory) =>
        IsAlive(pid)
        && ReadEnvironment(pid) is { } env
        && env.TryGetValue(DataDirectoryVariable, out var directory)
        && string.Equals(directory, dataDirectory, StringComparison.Ordinal);

    /// <summary>Every live engine whose data directory lies under <paramref name="dataRoot"/>, with its environment.</summary>
    public static List<(int Pid, Dictionary<string, string> Environment)> FindUnder(string dataRoot)
    {
        var prefix = Path.TrimEndingDirectorySeparator(dataRoot) + Path.DirectorySeparatorChar;
        var found = new List<(int, Dictionary<string, string>)>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || pid == Environment.ProcessId)
            {
                continue;
            }

            if (ReadEnvironment(pid) is { } env
                && env.TryGetValue(DataDirectoryVariable, out var directory)
                && directory.StartsWith(prefix, StringComparison.Ordinal)
                && IsAlive(pid))
            {
                found.Add((pid, env));
            }
        }

        return found;
    }

    /// <summary>Sends a signal; false when the process is already gone.</summary>
    public static bool Signal(int pid, int signal) => Kill(pid, signal) == 0;

    /// <summary>Polls until the process is gone or the timeout passes.</summary>
    public static async Task<bool> WaitForExitAsync(int pid, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (IsAlive(pid))
        {
            if (time.GetUtcNow() >= deadline)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), time, cancellationToken);
        }

        return true;
    }

    /// <summary>
    /// A loopback port for an engine: <paramref name="previous"/> when it is still free and no other engine holds it
    /// (routes stay stable across restarts), else a new free one that no other engine holds. The kernel knows of a
    /// port only once an engine listens on it, a hundred milliseconds or more after the pick, and a hibernating
    /// engine's port is free while its tenant will want it back: <paramref name="held"/>, the orchestrator's own book,
    /// covers both. Without it, two engines were given one port, and the one that lost the bind left its tenant
    /// routed to the other tenant's engine.
    /// </summary>
    public static int PickPort(int? previous, IReadOnlySet<int> held)
    {
        ArgumentNullException.ThrowIfNull(held);
        if (previous is { } port && !held.Contains(port) && IsFree(port))
        {
            return port;
        }

        for (var attempt = 0; attempt < 64; attempt++)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var candidate = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (!held.Contains(candidate))
            {
                return candidate;
            }
        }

        throw new IOException("No free loopback port that no other engine holds after 64 tries.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            return true;
        }
        catch (SocketException)
        {
            return false; // Taken by someone else since.
        }
    }

    // DllImport rather than LibraryImport: the generated stubs need unsafe code, which this project does
    // not enable, and kill(2) has only blittable arguments.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
