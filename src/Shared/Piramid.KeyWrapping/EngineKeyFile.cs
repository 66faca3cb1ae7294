using System.Security.Cryptography;
using System.Text;

namespace Piramid.KeyWrapping;

/// <summary>
/// The keys the control plane (the key manager) hands one engine at start: its tenant id, its data key
/// already unwrapped, and its engine secret. The engine never holds the platform key, so it can unwrap
/// nothing else. Text, four lines (layout in docs/design/encryption.md):
/// <code>
/// piramid-engine-keys v1
/// tenant &lt;tenant id&gt;
/// data-key &lt;base64 of 32 bytes&gt;
/// engine-secret &lt;base64 of 32 bytes or more&gt;
/// </code>
/// The file is owner-only (0400, owned by the engine's user) and lives outside the data directory.
/// </summary>
public static class EngineKeyFile
{
    /// <summary>First line of version 1.</summary>
    public const string Header = "piramid-engine-keys v1";

    /// <summary>Shortest engine secret accepted (the identity signer's minimum).</summary>
    public const int MinSecretBytes = Piramid.Contracts.Identity.InternalIdentitySigner.MinSecretBytes;

    /// <summary>The file's content for <paramref name="tenantId"/>; the caller writes it owner-only and zeroes it after.</summary>
    public static byte[] Format(string tenantId, ReadOnlySpan<byte> dataKey, ReadOnlySpan<byte> engineSecret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        if (dataKey.Length != DataKeyWrap.KeyLength)
        {
            throw new ArgumentException($"A data key is {DataKeyWrap.KeyLength} bytes.", nameof(dataKey));
        }

        if (engineSecret.Length < MinSecretBytes)
        {
            throw new ArgumentException($"An engine secret is at least {MinSecretBytes} bytes.", nameof(engineSecret));
        }

        if (tenantId.AsSpan().ContainsAny('\n', '\r', ' '))
        {
            throw new ArgumentException("A tenant id in a key file holds no spaces or line breaks.", nameof(tenantId));
        }

        var text = $"{Header}\ntenant {tenantId}\ndata-key {Convert.ToBase64String(dataKey)}\nengine-secret {Convert.ToBase64String(engineSecret)}\n";
        return Encoding.ASCII.GetBytes(text);
    }

    /// <summary>
    /// Reads a key file. <see cref="EngineKeyFileException"/> (naming the file and the line, never a key)
    /// when it is missing, unreadable or malformed.
    /// </summary>
    public static EngineKeyFileContent Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.ASCII);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new EngineKeyFileException($"The key file '{path}' does not exist.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EngineKeyFileException($"The key file '{path}' cannot be read ({e.Message}).", e);
        }

        return Parse(text, path);
    }

    /// <summary>Parses the content of a key file; <paramref name="source"/> names it in errors.</summary>
    public static EngineKeyFileContent Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length != 4 || lines[0] != Header)
        {
            throw new EngineKeyFileException($"The key file '{source}' is not a '{Header}' file of four lines.");
        }

        var tenant = Field(lines[1], "tenant", 2, source);
        var keyBytes = Base64(Field(lines[2], "data-key", 3, source), "data-key", 3, source);
        var secret = Base64(Field(lines[3], "engine-secret", 4, source), "engine-secret", 4, source);
        try
        {
            if (keyBytes.Length != DataKeyWrap.KeyLength)
            {
                throw new EngineKeyFileException($"The key file '{source}', line 3: data-key must decode to {DataKeyWrap.KeyLength} bytes.");
            }

            if (secret.Length < MinSecretBytes)
            {
                throw new EngineKeyFileException($"The key file '{source}', line 4: engine-secret must decode to at least {MinSecretBytes} bytes.");
            }

            return new EngineKeyFileContent(tenant, keyBytes, secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyBytes);
        }
    }

    private static string Field(string line, string name, int number, string source) =>
        line.StartsWith(name + " ", StringComparison.Ordinal) && line.Length > name.Length + 1
            ? line[(name.Length + 1)..].Trim()
            : throw new EngineKeyFileException($"The key file '{source}', line {number}: expected '{name} <value>'.");

    private static byte[] Base64(string value, string name, int number, string source)
    {
        try
        {
            return Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            throw new EngineKeyFileException($"The key file '{source}', line {number}: {name} is not base64.");
        }
    }
}
