using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;

namespace Piramid.KeyWrapping;

/// <summary>
/// The wrapped data key format (<c>datakey.wrapped</c>, 80 bytes): a tenant's 32-byte data key encrypted
/// (AES-256-GCM) under the platform key. The control plane, the key manager, wraps and unwraps; the engine
/// library reads it only when opened in process with a platform key. Layout in docs/design/encryption.md.
/// </summary>
public static class DataKeyWrap
{
    /// <summary>File name of the wrapped data key inside a data directory.</summary>
    public const string FileName = "datakey.wrapped";

    /// <summary>Length of a data key in bytes (AES-256).</summary>
    public const int KeyLength = 32;

    /// <summary>Length of a wrapped data key in bytes.</summary>
    public const int WrappedLength = 80;

    private const int TagLength = 16;
    private const byte Version = 1;
    private const int KeyCheckOffset = 8;
    private const int NonceOffset = 16;
    private const int CipherOffset = 28;
    private const int TagOffset = CipherOffset + KeyLength;
    private const int CrcOffset = TagOffset + TagLength;
    private static ReadOnlySpan<byte> Magic => "PRMK"u8;
    private static ReadOnlySpan<byte> KeyCheckLabel => "piramid/v1/kek-check"u8;

    /// <summary>The data key encrypted under the platform key (80 bytes, versioned, with a key check).</summary>
    public static byte[] Wrap(ReadOnlySpan<byte> dataKey, PlatformKey platformKey)
    {
        ArgumentNullException.ThrowIfNull(platformKey);
        if (dataKey.Length != KeyLength)
        {
            throw new ArgumentException($"A data key is {KeyLength} bytes.", nameof(dataKey));
        }

        var wrapped = new byte[WrappedLength];
        Magic.CopyTo(wrapped);
        wrapped[4] = Version;
        KeyCheck(platformKey, wrapped.AsSpan(KeyCheckOffset, 8));
        // A random 96-bit nonce is safe here: one platform key wraps at most millions of data keys,
        // far below the 2^32 wraps where random-nonce collisions start to matter.
        RandomNumberGenerator.Fill(wrapped.AsSpan(NonceOffset, 12));
        using (var gcm = new AesGcm(platformKey.Bytes, TagLength))
        {
            gcm.Encrypt(
                wrapped.AsSpan(NonceOffset, 12),
                dataKey,
                wrapped.AsSpan(CipherOffset, KeyLength),
                wrapped.AsSpan(TagOffset, TagLength),
                wrapped.AsSpan(0, CipherOffset));
        }

        BinaryPrimitives.WriteUInt32LittleEndian(wrapped.AsSpan(CrcOffset), Crc32C.Compute(wrapped.AsSpan(0, CrcOffset)));
        Debug.Assert(CrcOffset + 4 == WrappedLength, "layout and length agree");
        return wrapped;
    }

    /// <summary>A new random data key, wrapped; the clear key exists only inside this call.</summary>
    public static byte[] WrapNew(PlatformKey platformKey)
    {
        Span<byte> key = stackalloc byte[KeyLength];
        RandomNumberGenerator.Fill(key);
        try
        {
            return Wrap(key, platformKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// Unwraps into <paramref name="dataKey"/> (32 bytes; the caller zeroes it). <see cref="WrongPlatformKeyException"/>
    /// when the platform key differs, <see cref="WrappedKeyCorruptedException"/> (naming <paramref name="source"/>
    /// and the offset) when the bytes are not a wrapped key or were altered.
    /// </summary>
    public static void Unwrap(ReadOnlySpan<byte> wrapped, PlatformKey platformKey, Span<byte> dataKey, string source = "wrapped data key")
    {
        ArgumentNullException.ThrowIfNull(platformKey);
        if (dataKey.Length != KeyLength)
        {
            throw new ArgumentException($"A data key is {KeyLength} bytes.", nameof(dataKey));
        }

        if (wrapped.Length != WrappedLength || !wrapped[..4].SequenceEqual(Magic))
        {
            throw new WrappedKeyCorruptedException($"{source}: not a wrapped data key (expected {WrappedLength} bytes starting with PRMK) at offset 0.");
        }

        if (wrapped[4] != Version)
        {
            throw new WrappedKeyCorruptedException($"{source}: unsupported wrapped key version {wrapped[4]} at offset 4.");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(wrapped[CrcOffset..]) != Crc32C.Compute(wrapped[..CrcOffset]))
        {
            throw new WrappedKeyCorruptedException($"{source}: checksum mismatch at offset {CrcOffset}; the file is damaged. Restore it from a backup.");
        }

        Span<byte> check = stackalloc byte[8];
        KeyCheck(platformKey, check);
        if (!CryptographicOperations.FixedTimeEquals(check, wrapped.Slice(KeyCheckOffset, 8)))
        {
            throw new WrongPlatformKeyException(
                $"{source}: the platform key does not match the key that encrypted this data directory. " +
                "Configure the platform key this directory was created with; a new key cannot read existing data.");
        }

        try
        {
            using var gcm = new AesGcm(platformKey.Bytes, TagLength);
            gcm.Decrypt(
                wrapped.Slice(NonceOffset, 12),
                wrapped.Slice(CipherOffset, KeyLength),
                wrapped.Slice(TagOffset, TagLength),
                dataKey,
                wrapped[..CipherOffset]);
        }
        catch (AuthenticationTagMismatchException e)
        {
            // The key check matched, so the key is right and the file was altered with a valid checksum.
            CryptographicOperations.ZeroMemory(dataKey);
            throw new WrappedKeyCorruptedException($"{source}: the wrapped data key fails authentication at offset {CipherOffset}; it was altered.", e);
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
