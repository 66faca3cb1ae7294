using System.Security.Cryptography;

namespace Piramid.KeyWrapping;

/// <summary>
/// The 32-byte key-encryption key that wraps tenants' data keys. It lives outside every tenant directory;
/// the bytes sit in a pinned array so they are not copied by the GC, and are zeroed on dispose.
/// </summary>
public sealed class PlatformKey : IDisposable
{
    /// <summary>Key length in bytes (AES-256).</summary>
    public const int Length = 32;

    private readonly byte[] _bytes;
    private bool _disposed;

    private PlatformKey(ReadOnlySpan<byte> bytes)
    {
        _bytes = GC.AllocateArray<byte>(Length, pinned: true);
        bytes.CopyTo(_bytes);
    }

    /// <summary>Raw key bytes for wrapping; never written anywhere.</summary>
    internal ReadOnlySpan<byte> Bytes
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _bytes;
        }
    }

    /// <summary>Parses the base64 of exactly 32 bytes (surrounding whitespace ignored).</summary>
    public static PlatformKey FromBase64(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Span<byte> buffer = stackalloc byte[64];
        try
        {
            if (!Convert.TryFromBase64String(value.Trim(), buffer, out var written))
            {
                throw new PlatformKeyException(
                    "The platform key is not valid base64 of 32 bytes. Generate one with PlatformKey.GenerateBase64() " +
                    "(or `openssl rand -base64 32`) and configure that value.");
            }

            if (written != Length)
            {
                throw new PlatformKeyException(
                    $"The platform key decodes to {written} bytes but must be exactly {Length} bytes (AES-256). " +
                    "Generate one with PlatformKey.GenerateBase64() (or `openssl rand -base64 32`).");
            }

            return new PlatformKey(buffer[..Length]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    /// <summary>Reads a file holding the base64 of 32 bytes.</summary>
    public static PlatformKey LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new PlatformKeyException(
                $"The platform key file '{path}' does not exist. Create it with the base64 of 32 random bytes " +
                "(for example `openssl rand -base64 32 > keyfile`) or point the configuration at the right file.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PlatformKeyException(
                $"The platform key file '{path}' cannot be read ({e.Message}). Check its permissions.", e);
        }

        try
        {
            return FromBase64(text);
        }
        catch (PlatformKeyException e)
        {
            throw new PlatformKeyException($"The platform key file '{path}' is invalid: {e.Message}", e);
        }
    }

    /// <summary>A new random platform key as base64, for tooling.</summary>
    public static string GenerateBase64()
    {
        Span<byte> key = stackalloc byte[Length];
        RandomNumberGenerator.Fill(key);
        try
        {
            return Convert.ToBase64String(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Zeroes the key.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            CryptographicOperations.ZeroMemory(_bytes);
            _disposed = true;
        }
    }
}
