using System.Globalization;
using System.Runtime.InteropServices;

namespace Piramid.ControlPlane.Orchestration;

/// <summary>
/// Per-tenant OS users for engines (Linux): file ownership, the <c>setpriv</c> prefix that drops to the
/// tenant's uid, and the checks that another uid can reach the engine binary and the state directory.
/// </summary>
internal static class EngineAccounts
{
    /// <summary>rwx for the owner only: a tenant's directories.</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rwx for the owner, x for everyone: a directory others traverse but cannot list.</summary>
    public const UnixFileMode Traversable = OwnerOnly | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>True when this process runs as root (it can switch an engine to another uid).</summary>
    public static bool RunningAsRoot => Environment.IsPrivilegedProcess;

    /// <summary>
    /// The arguments that run a program as <paramref name="uid"/> (gid the same number): no supplementary
    /// groups, no inheritable capabilities, and no way back to privilege through setuid binaries.
    /// </summary>
    public static string[] DropTo(int uid)
    {
        var id = uid.ToString(CultureInfo.InvariantCulture);
        return ["setpriv", $"--reuid={id}", $"--regid={id}", "--clear-groups", "--inh-caps=-all", "--no-new-privs", "--"];
    }

    /// <summary>
    /// Gives a directory tree to <paramref name="uid"/> (every entry, symbolic links not followed, the top
    /// last) and makes the top owner-only. Run before every start: cheap (a few files per collection) and it
    /// also covers directories written by root before per-tenant uids were turned on.
    /// </summary>
    public static void GiveTree(string directory, int uid)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory, "*", options))
        {
            Chown(entry, uid);
        }

        Chown(directory, uid);
        SetMode(directory, OwnerOnly);
    }

    /// <summary>Changes the owner and group of one file (not following a symbolic link).</summary>
    public static void Chown(string path, int uid)
    {
        if (Lchown(path, uid, uid) != 0)
        {
            throw new IOException($"Cannot give '{path}' to uid {uid.ToString(CultureInfo.InvariantCulture)}: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>Sets a Unix mode (Linux only, like the rest of the local orchestrator).</summary>
    public static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    /// <summary>Creates a directory (and its parents) with <paramref name="mode"/>, or sets that mode on an existing one.</summary>
    public static void EnsureDirectory(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The local orchestrator runs engines on Linux.");
        }

        Directory.CreateDirectory(path, mode);
        File.SetUnixFileMode(path, mode);
    }

    /// <summary>
    /// The first existing directory on the way to <paramref name="path"/> (the path itself included when it is a
    /// directory) that other users cannot traverse, with its mode; null when every one can be traversed.
    /// </summary>
    public static (string Directory, UnixFileMode Mode)? FirstUntraversable(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        var full = Path.GetFullPath(path);
        var chain = new List<string>();
        for (var dir = Directory.Exists(full) ? full : Path.GetDirectoryName(full); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            chain.Add(dir);
        }

        chain.Reverse();
        foreach (var dir in chain.Where(Directory.Exists))
        {
            var mode = File.GetUnixFileMode(dir);
            if ((mode & UnixFileMode.OtherExecute) == 0)
            {
                return (dir, mode);
            }
        }

        return null;
    }

    /// <summary>Accounts of <c>/etc/passwd</c> whose uid lies in [first, first + count).</summary>
    public static List<string> AccountsInRange(long first, long count)
    {
        var found = new List<string>();
        if (!File.Exists("/etc/passwd"))
        {
            return found;
        }

        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var fields = line.Split(':');
            if (fields.Length > 2 && long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
                && uid >= first && uid < first + count)
            {
                found.Add($"{fields[0]} ({fields[2]})");
            }
        }

        return found;
    }

    /// <summary>Mode as four octal digits, for messages.</summary>
    public static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');

    // DllImport as for kill(2) in EngineProcesses: no unsafe code in this project; the path marshals as UTF-8.
    [DllImport("libc", EntryPoint = "lchown", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int Lchown(string path, int owner, int group);
}
