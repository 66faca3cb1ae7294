using System.Security.Cryptography;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Crypto;

/// <summary>
/// A tenant's 32-byte AES-256 data key. It never encrypts data directly: every file derives its own
/// subkey with HKDF-SHA256 from its random salt and a per-kind label, so nonce counters restart safely
/// in every file.
/// </summary>
public sealed class DataKey : IDisposable
{
    /// <summary>Key length in bytes (AES-256).</summary>
    public const int Length = 32;

    /// <summary>GCM tag length in bytes.</summary>
    internal const int TagLength = 16;

    private readonly byte[] _bytes;
    private bool _disposed;

    private DataKey(ReadOnlySpan<byte> bytes)
    {
        _bytes = GC.AllocateArray<byte>(Length, pinned: true);
        bytes.CopyTo(_bytes);
    }

    /// <summary>Raw key bytes, only for wrapping.</summary>
    internal ReadOnlySpan<byte> Bytes
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _bytes;
        }
    }

    /// <summary>A new random data key.</summary>
    public static DataKey Generate()
    {
        Span<byte> key = stackalloc byte[Length];
        RandomNumberGenerator.Fill(key);
        try
        {
            return new DataKey(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>A data key from its raw bytes (after unwrapping, or read from the engine's key file); copies them.</summary>
    public static DataKey FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"A data key is {Length} bytes.", nameof(bytes));
        }

        return new DataKey(bytes);
    }

    /// <summary>An AES-GCM cipher under the subkey HKDF-SHA256(key, salt, label-of-kind).</summary>
    internal AesGcm CreateFileCipher(FileKind kind, ReadOnlySpan<byte> salt)
    {
        Span<byte> subkey = stackalloc byte[Length];
        try
        {
            HKDF.DeriveKey(HashAlgorithmName.SHA256, Bytes, subkey, salt, Label(kind));
            return new AesGcm(subkey, TagLength);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(subkey);
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

    // Distinct labels keep a WAL subkey and a checkpoint subkey apart even under an equal salt.
    private static ReadOnlySpan<byte> Label(FileKind kind) => kind switch
    {
        FileKind.Wal => "piramid/v1/wal"u8,
        FileKind.Checkpoint => "piramid/v1/checkpoint"u8,
        FileKind.Audit => "piramid/v1/audit"u8,
        FileKind.Manifest => "piramid/v1/manifest"u8,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown file kind."),
    };
}
