using System.Security.Cryptography;

namespace Piramid.KeyWrapping;

/// <summary>A data directory's <c>datakey.wrapped</c>: read it, or create it once with a new data key.</summary>
public static class DataKeyFile
{
    /// <summary>
    /// The wrapped data key of <paramref name="dataDirectory"/>, checked against <paramref name="platformKey"/>
    /// (<see cref="WrongPlatformKeyException"/>, <see cref="WrappedKeyCorruptedException"/>); when the file does not
    /// exist, a new data key is wrapped and written (temp file, fsync, rename). A leftover from an interrupted
    /// creation is reused, never replaced: data may already be encrypted under it.
    /// </summary>
    /// <remarks>
    /// The directory entry is not fsynced here: the control plane keeps the wrapped key in its database too and
    /// writes it back when the file is gone, and the engine's in-process opening fsyncs the directory itself.
    /// </remarks>
    public static byte[] OpenOrCreate(string dataDirectory, PlatformKey platformKey)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        ArgumentNullException.ThrowIfNull(platformKey);
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, DataKeyWrap.FileName);
        if (File.Exists(path))
        {
            var existing = File.ReadAllBytes(path);
            Span<byte> clear = stackalloc byte[DataKeyWrap.KeyLength];
            try
            {
                DataKeyWrap.Unwrap(existing, platformKey, clear, path);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(clear);
            }

            return existing;
        }

        var wrapped = DataKeyWrap.WrapNew(platformKey);
        var temp = path + ".tmp";
        using (var handle = File.OpenHandle(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            RandomAccess.Write(handle, wrapped, 0);
            RandomAccess.FlushToDisk(handle);
        }

        File.Move(temp, path, overwrite: false);
        return wrapped;
    }
}
