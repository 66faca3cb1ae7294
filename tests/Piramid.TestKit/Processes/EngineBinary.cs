namespace Piramid.TestKit.Processes;

/// <summary>
/// Where the engine executable is: <c>PIRAMID_ENGINE_BINARY</c> (the Native AOT build that <c>./piramid</c>
/// publishes), else the JIT build copied next to the test assembly (so a plain <c>dotnet test</c> works).
/// </summary>
public static class EngineBinary
{
    /// <summary>File name and leading arguments to run the engine.</summary>
    public static (string FileName, string[] Arguments) Resolve()
    {
        var native = Environment.GetEnvironmentVariable("PIRAMID_ENGINE_BINARY");
        if (!string.IsNullOrEmpty(native))
        {
            return File.Exists(native)
                ? (native, [])
                : throw new FileNotFoundException($"PIRAMID_ENGINE_BINARY points to '{native}', which does not exist.");
        }

        var dll = Path.Combine(AppContext.BaseDirectory, "Piramid.DataPlane.dll");
        return File.Exists(dll)
            ? ("dotnet", [dll])
            : throw new FileNotFoundException($"No engine build: neither PIRAMID_ENGINE_BINARY nor {dll}.");
    }

    /// <summary>
    /// The engine executable for an orchestrator that runs engines under other uids: the Native AOT binary
    /// itself when every directory above it is traversable by others, else a copy in the temp folder (a
    /// checkout under root's 0700 home cannot be reached by an engine's uid). The <c>.dll</c> build is returned as is.
    /// </summary>
    public static string ForOtherUsers()
    {
        var (file, args) = Resolve();
        if (args.Length > 0 || OperatingSystem.IsWindows())
        {
            return args.Length > 0 ? args[0] : file;
        }

        var full = Path.GetFullPath(file);
        var reachable = true;
        for (var dir = Path.GetDirectoryName(full); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            reachable &= (File.GetUnixFileMode(dir) & UnixFileMode.OtherExecute) != 0;
        }

        if (reachable)
        {
            return full;
        }

        var stamp = File.GetLastWriteTimeUtc(full).Ticks.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        var directory = Path.Combine(Path.GetTempPath(), $"piramid-engine-{stamp}");
        var copy = Path.Combine(directory, Path.GetFileName(full));
        lock (CopyLock)
        {
            // Explicit modes: the copy exists for other uids, whatever the umask of the test run.
            Directory.CreateDirectory(directory, (UnixFileMode)0b111_101_101);
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
            if (!File.Exists(copy))
            {
                var temp = copy + "." + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
                File.Copy(full, temp, overwrite: true);
                File.SetUnixFileMode(temp, (UnixFileMode)0b111_101_101);
                File.Move(temp, copy, overwrite: true);
                RemoveStaleCopies(directory);
            }
        }

        return copy;
    }

    /// <summary>
    /// Each engine build gets its own copy; copies of builds older than a day are left by finished runs (a run of
    /// today's build may still start one, so younger ones stay).
    /// </summary>
    private static void RemoveStaleCopies(string current)
    {
        var cutoff = DateTime.UtcNow - TimeSpan.FromDays(1);
        foreach (var stale in Directory.EnumerateDirectories(Path.GetTempPath(), "piramid-engine-*"))
        {
            if (stale != current && Directory.GetLastWriteTimeUtc(stale) < cutoff)
            {
                try
                {
                    Directory.Delete(stale, recursive: true);
                }
                catch (IOException)
                {
                    // Another run removes it at the same time, or it belongs to another user: not ours to insist.
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }
    }

    private static readonly Lock CopyLock = new();
}
