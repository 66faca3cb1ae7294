using System.Runtime.InteropServices;

namespace Piramid.Engine.Storage;

/// <summary>
/// Durable file replacement: write a temporary file, fsync it, rename it over the target, fsync the
/// directory so the rename itself survives a crash. .NET has no directory fsync, hence the libc calls.
/// </summary>
internal static partial class FileSync
{
    /// <summary>Suffix of temporary files; owners delete leftovers of a crash on open.</summary>
    public const string TempSuffix = ".tmp";

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically and durably.</summary>
    public static void WriteAtomic(string path, ReadOnlySpan<byte> content)
    {
        var temp = path + TempSuffix;
        using (var handle = File.OpenHandle(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            RandomAccess.Write(handle, content, 0);
            RandomAccess.FlushToDisk(handle);
        }

        File.Move(temp, path, overwrite: true);
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Fsyncs a directory so created, renamed and deleted entries are durable (no-op on Windows).</summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // NTFS journals metadata; a directory cannot be opened for flushing there.
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

    /// <summary>
    /// Hard-links <paramref name="source"/> as <paramref name="destination"/> (an immutable file shared, no byte
    /// copied); copies it where the file system has no hard links. Either way the destination is fsynced.
    /// </summary>
    public static void LinkOrCopy(string source, string destination)
    {
        if (OperatingSystem.IsWindows() || Link(source, destination) != 0)
        {
            var errno = OperatingSystem.IsWindows() ? 0 : Marshal.GetLastPInvokeError();
            if (errno == 2 /* ENOENT */)
            {
                throw new FileNotFoundException($"Cannot link '{source}': it does not exist.", source);
            }

            File.Copy(source, destination, overwrite: false);
            using var handle = File.OpenHandle(destination, FileMode.Open, FileAccess.ReadWrite);
            RandomAccess.FlushToDisk(handle);
        }
    }

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string oldPath, string newPath);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
