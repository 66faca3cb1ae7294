using System.Security.Cryptography;
using System.Text;
using Piramid.ControlPlane.Identity;

namespace Piramid.ControlPlane.Auditing.Sinks;

/// <summary>
/// Seals a sink's secret key at rest with AES-256-GCM under a key derived (HKDF-SHA256) from the identity encryption
/// key, bound to the tenant, so a database dump alone yields no credential and a sealed secret cannot be moved to
/// another tenant's sink. Layout: nonce (12) | tag (16) | ciphertext.
/// </summary>
public sealed class SinkSecretProtector(IdentityKeyStore keys)
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    /// <summary>Seals <paramref name="secret"/> for <paramref name="tenantId"/>.</summary>
    public byte[] Protect(string tenantId, string secret)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceBytes + TagBytes + plain.Length];
        RandomNumberGenerator.Fill(sealedBytes.AsSpan(0, NonceBytes));
        using var aes = new AesGcm(Key(), TagBytes);
        aes.Encrypt(sealedBytes.AsSpan(0, NonceBytes), plain, sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), Encoding.UTF8.GetBytes(tenantId));
        return sealedBytes;
    }

    /// <summary>Opens what <see cref="Protect"/> sealed for the same tenant.</summary>
    public string Unprotect(string tenantId, byte[] sealedBytes)
    {
        ArgumentNullException.ThrowIfNull(sealedBytes);
        var plain = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(Key(), TagBytes);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), plain, Encoding.UTF8.GetBytes(tenantId));
        return Encoding.UTF8.GetString(plain);
    }

    private byte[] Key() => HKDF.DeriveKey(HashAlgorithmName.SHA256, keys.Keys.EncryptionKey.Key, 32, info: "piramid audit sink secret v1"u8.ToArray());
}
