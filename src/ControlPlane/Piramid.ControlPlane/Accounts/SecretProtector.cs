using System.Security.Cryptography;
using Piramid.ControlPlane.Identity;

namespace Piramid.ControlPlane.Accounts;

/// <summary>
/// Encrypts TOTP secrets at rest with AES-256-GCM under a key derived (HKDF-SHA256) from the identity encryption key,
/// bound to the user id, so a database dump alone yields no second factor and a secret cannot be moved to another user.
/// Layout: nonce (12) | tag (16) | ciphertext.
/// </summary>
public sealed class SecretProtector(IdentityKeyStore keys)
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    /// <summary>Encrypts <paramref name="secret"/> for <paramref name="userId"/>.</summary>
    public byte[] Protect(Guid userId, ReadOnlySpan<byte> secret)
    {
        var sealedBytes = new byte[NonceBytes + TagBytes + secret.Length];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(Key(), TagBytes);
        aes.Encrypt(nonce, secret, sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), userId.ToByteArray());
        return sealedBytes;
    }

    /// <summary>Decrypts what <see cref="Protect"/> made for the same user.</summary>
    public byte[] Unprotect(Guid userId, byte[] sealedBytes)
    {
        ArgumentNullException.ThrowIfNull(sealedBytes);
        var secret = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(Key(), TagBytes);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), secret, userId.ToByteArray());
        return secret;
    }

    private byte[] Key() => HKDF.DeriveKey(HashAlgorithmName.SHA256, keys.Keys.EncryptionKey.Key, 32, info: "piramid totp secret v1"u8.ToArray());
}
