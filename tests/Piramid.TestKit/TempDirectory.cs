namespace Piramid.TestKit;

/// <summary>
/// A fresh directory under the system temp folder, deleted on dispose. Its mode is 0711 whatever the umask
/// (<c>./piramid test</c> runs with 077): engines started under per-tenant uids must traverse it to reach
/// their own directories, and nobody else may list it.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Creates it.</summary>
    public TempDirectory(string prefix = "piramid-test")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(Path);
            return;
        }

        Directory.CreateDirectory(Path, TraversableMode);
        File.SetUnixFileMode(Path, TraversableMode);
    }

    private const UnixFileMode TraversableMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>Full path.</summary>
    public string Path { get; }

    /// <summary>A path inside it.</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Deletes it and everything in it.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a process may still be exiting.
        }
    }
}
