using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Crypto;

/// <summary>
/// Keeps a data directory's data key wrapped (AES-256-GCM) by the platform key in <c>datakey.wrapped</c>.
/// The clear data key is never written. Layout in docs/design/encryption.md.
/// </summary>
public static class DataKeyStore
{
    /// <summary>File name of the wrapped data key inside a data directory.</summary>
    public const string FileName = "datakey.wrapped";

    internal const int WrappedLength = 80;
    private const byte Version = 1;
    private const int KeyCheckOffset = 8;
    private const int NonceOffset = 16;
    private const int CipherOffset = 28;
    private const int TagOffset = CipherOffset + DataKey.Length;
    private const int CrcOffset = TagOffset + DataKey.TagLength;
    private static ReadOnlySpan<byte> Magic => "PRMK"u8;
    private static ReadOnlySpan<byte> KeyCheckLabel => "piramid/v1/kek-check"u8;

    /// <summary>Reads and unwraps the directory's data key, or creates one and stores it wrapped.</summary>
    public static DataKey OpenOrCreate(string dataDirectory, PlatformKey platformKey)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        ArgumentNullException.ThrowIfNull(platformKey);
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            return Unwrap(File.ReadAllBytes(path), platformKey, path);
        }

        var key = DataKey.Generate();
        try
        {
            FileSync.WriteAtomic(path, Wrap(key, platformKey));
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>The data key encrypted under the platform key (80 bytes, versioned, with a key check).</summary>
    public static byte[] Wrap(DataKey key, PlatformKey platformKey)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(platformKey);
        var wrapped = new byte[WrappedLength];
        Magic.CopyTo(wrapped);
        wrapped[4] = Version;
        KeyCheck(platformKey, wrapped.AsSpan(KeyCheckOffset, 8));
        // A random 96-bit nonce is safe here: one platform key wraps at most millions of data keys,
        // far below the 2^32 wraps where random-nonce collisions start to matter.
        RandomNumberGenerator.Fill(wrapped.AsSpan(NonceOffset, 12));
        using (var gcm = new AesGcm(platformKey.Bytes, DataKey.TagLength))
        {
            gcm.Encrypt(
                wrapped.AsSpan(NonceOffset, 12),
                key.Bytes,
                wrapped.AsSpan(CipherOffset, DataKey.Length),
                wrapped.AsSpan(TagOffset, DataKey.TagLength),
                wrapped.AsSpan(0, CipherOffset));
        }

        BinaryPrimitives.WriteUInt32LittleEndian(wrapped.AsSpan(CrcOffset), Crc32C.Compute(wrapped.AsSpan(0, CrcOffset)));
        Debug.Assert(CrcOffset + 4 == WrappedLength, "layout and length agree");
        return wrapped;
    }

    /// <summary>Unwraps a data key; <see cref="WrongPlatformKeyException"/> when the platform key differs.</summary>
    public static DataKey Unwrap(ReadOnlySpan<byte> wrapped, PlatformKey platformKey) =>
        Unwrap(wrapped, platformKey, "wrapped data key");

    private static DataKey Unwrap(ReadOnlySpan<byte> wrapped, PlatformKey platformKey, string source)
    {
        ArgumentNullException.ThrowIfNull(platformKey);
        if (wrapped.Length != WrappedLength || !wrapped[..4].SequenceEqual(Magic))
        {
            throw new StorageCorruptedException($"{source}: not a wrapped data key (expected {WrappedLength} bytes starting with PRMK) at offset 0.");
        }

        if (wrapped[4] != Version)
        {
            throw new StorageCorruptedException($"{source}: unsupported wrapped key version {wrapped[4]} at offset 4.");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(wrapped[CrcOffset..]) != Crc32C.Compute(wrapped[..CrcOffset]))
        {
            throw new StorageCorruptedException($"{source}: checksum mismatch at offset {CrcOffset}; the file is damaged. Restore it from a backup.");
        }

        Span<byte> check = stackalloc byte[8];
        KeyCheck(platformKey, check);
        if (!CryptographicOperations.FixedTimeEquals(check, wrapped.Slice(KeyCheckOffset, 8)))
        {
            throw new WrongPlatformKeyException(
                $"{source}: the platform key does not match the key that encrypted this data directory. " +
                "Configure the platform key this directory was created with; a new key cannot read existing data.");
        }

        Span<byte> clear = stackalloc byte[DataKey.Length];
        try
        {
            using var gcm = new AesGcm(platformKey.Bytes, DataKey.TagLength);
            gcm.Decrypt(
                wrapped.Slice(NonceOffset, 12),
                wrapped.Slice(CipherOffset, DataKey.Length),
                wrapped.Slice(TagOffset, DataKey.TagLength),
                clear,
                wrapped[..CipherOffset]);
            return DataKey.FromBytes(clear);
        }
        catch (AuthenticationTagMismatchException e)
        {
            // The key check matched, so the key is right and the file was altered with a valid checksum.
            throw new StorageCorruptedException($"{source}: the wrapped data key fails authentication at offset {CipherOffset}; it was altered.", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(clear);
        }
    }

    // First 8 bytes of HMAC-SHA256(platform key, label): identifies the key without revealing it.
    private static void KeyCheck(PlatformKey platformKey, Span<byte> destination)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(platformKey.Bytes, KeyCheckLabel, mac);
        mac[..8].CopyTo(destination);
    }
}
