using System.Globalization;

namespace Piramid.ControlPlane.Orchestration;

/// <summary>
/// What /proc says about a process, for deciding whether it is one of our engines: the executable it runs,
/// its user, when it started, and whether it listens on a loopback port. A process can put any environment
/// or argv it likes; these it cannot choose (adoption rules in docs/design/orchestration.md).
/// </summary>
internal static class EngineIdentity
{
    private const string DeletedSuffix = " (deleted)";

    /// <summary>
    /// True when the process runs <paramref name="engineBinary"/>: <c>/proc/&lt;pid&gt;/exe</c> is that file (or
    /// that path after the binary was replaced by an upgrade, which only its owner can do); a <c>.dll</c>
    /// engine runs under the <c>dotnet</c> host with the dll as its first argument.
    /// </summary>
    public static bool RunsBinary(int pid, string engineBinary)
    {
        var exe = ExecutableOf(pid);
        if (exe is null)
        {
            return false;
        }

        var expected = Resolve(engineBinary);
        if (!expected.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            return exe == expected || exe == expected + DeletedSuffix;
        }

        var arguments = ArgumentsOf(pid);
        return Path.GetFileName(exe).StartsWith("dotnet", StringComparison.Ordinal)
            && arguments is { Length: >= 2 }
            && Path.GetFullPath(arguments[1]) == expected;
    }

    /// <summary>The executable a process runs (<c>/proc/&lt;pid&gt;/exe</c>), null when gone or unreadable.</summary>
    public static string? ExecutableOf(int pid)
    {
        try
        {
            return new FileInfo(Proc(pid, "exe")).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Real, effective, saved and filesystem uids (<c>Uid:</c> of /proc/&lt;pid&gt;/status); null when gone.</summary>
    public static int[]? UidsOf(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines(Proc(pid, "status")))
            {
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                {
                    return [.. line[4..].Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)
                        .Select(v => int.Parse(v, NumberStyles.None, CultureInfo.InvariantCulture))];
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone.
        }

        return null;
    }

    /// <summary>True when every uid of the process (real, effective, saved, filesystem) is <paramref name="uid"/>.</summary>
    public static bool RunsAs(int pid, int uid) => UidsOf(pid) is { Length: 4 } uids && uids.All(u => u == uid);

    /// <summary>This process's effective uid.</summary>
    public static int OwnUid => UidsOf(Environment.ProcessId) is { Length: 4 } uids ? uids[1] : -1;

    /// <summary>
    /// When the process started, in clock ticks after boot (field 22 of /proc/&lt;pid&gt;/stat): with the pid it
    /// names one process for the life of the machine, whatever reuses the pid later. Null when gone.
    /// </summary>
    public static long? StartTimeOf(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText(Proc(pid, "stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ..." : comm may hold spaces, so count fields after the last ')'; state is field 3.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 19 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;
    }

    /// <summary>
    /// True when the process itself holds a socket listening on 127.0.0.1:<paramref name="port"/>
    /// (<c>/proc/net/tcp</c> row in state LISTEN whose inode is one of the process's descriptors).
    /// </summary>
    public static bool ListensOnLoopback(int pid, int port)
    {
        var local = "0100007F:" + port.ToString("X4", CultureInfo.InvariantCulture);
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var line in File.ReadLines(Proc(pid, "net/tcp")).Skip(1))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length > 9 && f[1] == local && f[3] == "0A")
                {
                    inodes.Add($"socket:[{f[9]}]");
                }
            }

            return inodes.Count > 0
                && Directory.EnumerateFileSystemEntries(Proc(pid, "fd")).Any(fd => new FileInfo(fd).LinkTarget is { } target && inodes.Contains(target));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string[]? ArgumentsOf(int pid)
    {
        try
        {
            return File.ReadAllText(Proc(pid, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // The configured path with symbolic links resolved, as the kernel shows it in /proc/<pid>/exe.
    private static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        return File.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full;
    }

    private static string Proc(int pid, string entry) => $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/{entry}";
}
