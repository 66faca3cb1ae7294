namespace Piramid.Engine;

/// <summary>
/// Exclusive ownership of a data directory: an <c>engine.lock</c> file held open with an exclusive
/// lock (flock on Linux), released by the OS when the process dies, so a crash never leaves it stuck.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    private readonly FileStream _stream;

    private DataDirectoryLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock or throws <see cref="DataDirectoryLockedException"/>.</summary>
    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, "engine.lock");
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return new DataDirectoryLock(stream);
        }
        catch (IOException e)
        {
            throw new DataDirectoryLockedException(
                $"Another engine already owns the data directory '{dataDirectory}' (it holds {path}). Stop it first; two engines must never share a directory.", e);
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _stream.Dispose();
}
