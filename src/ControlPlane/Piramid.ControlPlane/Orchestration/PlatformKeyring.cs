using System.Security.Cryptography;
using System.Text;
using Piramid.KeyWrapping;

namespace Piramid.ControlPlane.Orchestration;

/// <summary>
/// The platform key as the orchestrator uses it: as the <see cref="KeyWrapping.PlatformKey"/> that wraps
/// data keys, and through a subkey for engine secrets. Wrapped engine secret layout (61 bytes):
/// <c>u8 version=1 | 12-byte random nonce | 32-byte AES-256-GCM ciphertext | 16-byte tag</c>,
/// authenticated with the version byte and the tenant id, so a row copied onto another tenant fails to unwrap.
/// </summary>
internal sealed class PlatformKeyring : IDisposable
{
    /// <summary>Engine secret length in bytes (the engine needs at least 32).</summary>
    public const int SecretLength = 32;

    /// <summary>Length of a wrapped engine secret.</summary>
    public const int WrappedSecretLength = 1 + NonceLength + SecretLength + TagLength;

    private const byte SecretVersion = 1;
    private const int NonceLength = 12;
    private const int TagLength = 16;

    private readonly byte[] _secretKey;

    private PlatformKeyring(PlatformKey platformKey, byte[] secretKey)
    {
        PlatformKey = platformKey;
        _secretKey = secretKey;
    }

    /// <summary>The platform key that wraps data keys (<see cref="DataKeyWrap"/>'s format).</summary>
    public PlatformKey PlatformKey { get; }

    // Secrets are wrapped under HKDF(platform key, label), not the platform key itself, so an engine-secret
    // blob and a data-key blob are never produced by the same key.
    private static ReadOnlySpan<byte> SecretKeyLabel => "piramid/v1/engine-secret-kek"u8;

    /// <summary>Loads the platform key file (base64 of 32 bytes).</summary>
    public static PlatformKeyring LoadFile(string path)
    {
        // PlatformKey.LoadFile gives the precise error messages; it hides its bytes, so the subkey is
        // derived from the same file content read here.
        var platformKey = PlatformKey.LoadFile(path);
        var raw = Convert.FromBase64String(File.ReadAllText(path).Trim());
        try
        {
            var secretKey = GC.AllocateArray<byte>(32, pinned: true);
            HKDF.DeriveKey(HashAlgorithmName.SHA256, raw, secretKey, [], SecretKeyLabel);
            return new PlatformKeyring(platformKey, secretKey);
        }
        catch
        {
            platformKey.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(raw);
        }
    }

    /// <summary>Encrypts a tenant's engine secret for the database.</summary>
    public byte[] WrapSecret(string tenantId, ReadOnlySpan<byte> secret)
    {
        if (secret.Length != SecretLength)
        {
            throw new ArgumentException($"An engine secret is {SecretLength} bytes.", nameof(secret));
        }

        var wrapped = new byte[WrappedSecretLength];
        wrapped[0] = SecretVersion;
        var nonce = wrapped.AsSpan(1, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var gcm = new AesGcm(_secretKey, TagLength);
        gcm.Encrypt(nonce, secret, wrapped.AsSpan(1 + NonceLength, SecretLength), wrapped.AsSpan(1 + NonceLength + SecretLength), Aad(tenantId));
        return wrapped;
    }

    /// <summary>Decrypts a wrapped engine secret; <see cref="CryptographicException"/> when altered or under another key.</summary>
    public byte[] UnwrapSecret(string tenantId, ReadOnlySpan<byte> wrapped)
    {
        if (wrapped.Length != WrappedSecretLength || wrapped[0] != SecretVersion)
        {
            throw new CryptographicException(
                $"The wrapped engine secret of tenant '{tenantId}' is not version {SecretVersion} of {WrappedSecretLength} bytes.");
        }

        var secret = new byte[SecretLength];
        using var gcm = new AesGcm(_secretKey, TagLength);
        gcm.Decrypt(wrapped.Slice(1, NonceLength), wrapped.Slice(1 + NonceLength, SecretLength), wrapped[(1 + NonceLength + SecretLength)..], secret, Aad(tenantId));
        return secret;
    }

    /// <summary>Zeroes the keys.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_secretKey);
        PlatformKey.Dispose();
    }

    private static byte[] Aad(string tenantId) => [SecretVersion, .. Encoding.UTF8.GetBytes(tenantId)];
}
