namespace Piramid.DataPlane.Hosting;

/// <summary>Reads a base64 secret from a file or from configuration; the value itself is never logged.</summary>
public static class SecretSource
{
    /// <summary>Decoded bytes; <see cref="InvalidOperationException"/> naming the key when absent or malformed.</summary>
    public static byte[] Load(string? file, string? value, string fileKey, string valueKey)
    {
        string text;
        string source;
        if (!string.IsNullOrWhiteSpace(value))
        {
            text = value;
            source = valueKey;
        }
        else if (!string.IsNullOrWhiteSpace(file))
        {
            if (!File.Exists(file))
            {
                throw new InvalidOperationException($"'{fileKey}' names '{file}', which does not exist.");
            }

            text = File.ReadAllText(file);
            source = fileKey;
        }
        else
        {
            throw new InvalidOperationException($"No engine secret: set '{fileKey}' or '{valueKey}'.");
        }

        try
        {
            var bytes = Convert.FromBase64String(text.Trim());
            return bytes.Length >= Contracts.Identity.InternalIdentitySigner.MinSecretBytes
                ? bytes
                : throw new InvalidOperationException($"'{source}' must decode to at least {Contracts.Identity.InternalIdentitySigner.MinSecretBytes} bytes.");
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"'{source}' is not base64.");
        }
    }
}
