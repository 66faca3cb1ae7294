using System.Runtime.InteropServices;

namespace Piramid.Backups.Stores.Filesystem;

/// <summary>
/// Fsync of a directory, so that a created or renamed entry survives a crash. .NET has none, hence libc (the
/// engine has its own copy: a library shared by the engine and the control plane would be for two calls).
/// </summary>
internal static partial class DirectorySync
{
    /// <summary>Fsyncs <paramref name="directory"/> (no-op on Windows, where NTFS journals metadata).</summary>
    public static void Sync(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory '{directory}' to fsync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (FSync(fd) != 0)
            {
                throw new IOException($"fsync of directory '{directory}' failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
