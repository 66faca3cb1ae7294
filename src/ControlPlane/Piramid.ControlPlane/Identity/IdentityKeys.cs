using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.IdentityModel.Tokens;

namespace Piramid.ControlPlane.Identity;

/// <summary>
/// The issuer's persisted keys: an RSA key that signs tokens (RS256, published in the JWKS) and a 256-bit
/// symmetric key that encrypts what only the control plane reads (authorization codes, refresh tokens).
/// Both must outlive restarts, or every issued token and refresh token becomes invalid.
/// </summary>
/// <remarks>
/// The file is JSON, <c>{"version":1,"signing_key":"-----BEGIN PRIVATE KEY-----...","encryption_key":"base64"}</c>,
/// created with mode 0600 when missing. Rotation is manual: replace the file and restart (tokens signed by
/// the old key fail validation after that, so rotate no more often than the access token lifetime allows).
/// </remarks>
public sealed class IdentityKeys : IDisposable
{
    private const int RsaBits = 3072;
    private const int EncryptionKeyBytes = 32;

    private readonly RSA _rsa;

    private IdentityKeys(RSA rsa, byte[] encryptionKey)
    {
        _rsa = rsa;
        SigningKey = new RsaSecurityKey(rsa);
        // A stable kid (the RFC 7638 thumbprint) lets validators cache the JWKS across restarts.
        SigningKey.KeyId = Base64UrlEncoder.Encode(SigningKey.ComputeJwkThumbprint());
        EncryptionKey = new SymmetricSecurityKey(encryptionKey);
    }

    /// <summary>The RS256 signing key.</summary>
    public RsaSecurityKey SigningKey { get; }

    /// <summary>The key encrypting authorization codes and refresh tokens.</summary>
    public SymmetricSecurityKey EncryptionKey { get; }

    /// <summary>True when <see cref="LoadOrCreate"/> had to create the file.</summary>
    public bool Created { get; private set; }

    /// <summary>Reads the key file, or creates it (mode 0600) when it does not exist.</summary>
    public static IdentityKeys LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        path = Path.GetFullPath(path);
        if (File.Exists(path))
        {
            return Load(path);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var rsa = RSA.Create(RsaBits);
        var file = new KeyFile
        {
            Version = 1,
            SigningKey = rsa.ExportPkcs8PrivateKeyPem(),
            EncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(EncryptionKeyBytes)),
        };

        // Written to a private temporary file and moved into place without overwrite, so two instances
        // starting together agree on one key and nobody reads a half-written file.
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, options))
            {
                JsonSerializer.Serialize(stream, file, KeyFileJson.Default.KeyFile);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: false);
            var created = Load(path);
            created.Created = true;
            return created;
        }
        catch (IOException) when (File.Exists(path))
        {
            return Load(path);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _rsa.Dispose();

    private static IdentityKeys Load(string path)
    {
        KeyFile? file;
        try
        {
            file = JsonSerializer.Deserialize(File.ReadAllText(path), KeyFileJson.Default.KeyFile);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{IdentityOptions.Section}:{nameof(IdentityOptions.SigningKeyFile)} ({path}) is not a Piramid key file.", e);
        }

        if (file is not { Version: 1, SigningKey.Length: > 0, EncryptionKey.Length: > 0 })
        {
            throw new InvalidOperationException($"{IdentityOptions.Section}:{nameof(IdentityOptions.SigningKeyFile)} ({path}) lacks signing_key or encryption_key.");
        }

        var encryptionKey = Convert.FromBase64String(file.EncryptionKey);
        if (encryptionKey.Length != EncryptionKeyBytes)
        {
            throw new InvalidOperationException($"{IdentityOptions.Section}:{nameof(IdentityOptions.SigningKeyFile)} ({path}): encryption_key must be {EncryptionKeyBytes} bytes.");
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(file.SigningKey);
            return new IdentityKeys(rsa, encryptionKey);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    internal sealed class KeyFile
    {
        public int Version { get; set; }

        public string SigningKey { get; set; } = string.Empty;

        public string EncryptionKey { get; set; } = string.Empty;
    }
}

/// <summary>Source-generated JSON for the key file.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = Contracts.Json.WireJson.KnownNamingPolicy, WriteIndented = true)]
[JsonSerializable(typeof(IdentityKeys.KeyFile))]
internal sealed partial class KeyFileJson : JsonSerializerContext;
