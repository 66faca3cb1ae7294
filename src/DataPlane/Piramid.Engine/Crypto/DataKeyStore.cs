using Piramid.Engine.Storage;
using Piramid.KeyWrapping;

namespace Piramid.Engine.Crypto;

/// <summary>
/// The engine's side of the wrapped data key (<c>datakey.wrapped</c>, format in <see cref="DataKeyWrap"/>): for
/// opening a data directory in process with the platform key (tests, tools). The engine process itself never
/// holds the platform key; the control plane hands it the data key already unwrapped.
/// </summary>
public static class DataKeyStore
{
    /// <summary>File name of the wrapped data key inside a data directory.</summary>
    public const string FileName = DataKeyWrap.FileName;

    /// <summary>Reads and unwraps the directory's data key, or creates one and stores it wrapped.</summary>
    public static DataKey OpenOrCreate(string dataDirectory, PlatformKey platformKey)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        var existed = File.Exists(Path.Combine(dataDirectory, FileName));
        var wrapped = Storage(() => DataKeyFile.OpenOrCreate(dataDirectory, platformKey));
        if (!existed)
        {
            FileSync.SyncDirectory(dataDirectory); // The rename is durable before any file is encrypted under the key.
        }

        return Unwrap(wrapped, platformKey, Path.Combine(dataDirectory, FileName));
    }

    /// <summary>The data key encrypted under the platform key.</summary>
    public static byte[] Wrap(DataKey key, PlatformKey platformKey)
    {
        ArgumentNullException.ThrowIfNull(key);
        return DataKeyWrap.Wrap(key.Bytes, platformKey);
    }

    /// <summary>Unwraps a data key; <see cref="WrongPlatformKeyException"/> when the platform key differs.</summary>
    public static DataKey Unwrap(ReadOnlySpan<byte> wrapped, PlatformKey platformKey) =>
        Unwrap(wrapped, platformKey, "wrapped data key");

    private static DataKey Unwrap(ReadOnlySpan<byte> wrapped, PlatformKey platformKey, string source)
    {
        Span<byte> clear = stackalloc byte[DataKey.Length];
        try
        {
            DataKeyWrap.Unwrap(wrapped, platformKey, clear, source);
            return DataKey.FromBytes(clear);
        }
        catch (WrappedKeyCorruptedException e)
        {
            throw new StorageCorruptedException(e.Message, e);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(clear);
        }
    }

    // Damage to the wrapped key is storage damage to the engine, reported like any other damaged file.
    private static T Storage<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (WrappedKeyCorruptedException e)
        {
            throw new StorageCorruptedException(e.Message, e);
        }
    }
}
