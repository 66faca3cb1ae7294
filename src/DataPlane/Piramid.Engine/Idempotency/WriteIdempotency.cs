namespace Piramid.Engine.Idempotency;

/// <summary>
/// Makes a write idempotent: the first write under (<paramref name="Scope"/>, <paramref name="Key"/>) in a
/// collection is executed and remembered; a repeat with the same <paramref name="RequestHash"/> gets the first
/// result back, a repeat with another hash is refused. The host decides what the scope and the hash cover.
/// </summary>
/// <param name="Scope">What the key is unique within besides the collection (the HTTP host: method and path).</param>
/// <param name="Key">The caller's key, 1 to <see cref="MaxKeyLength"/> printable ASCII characters.</param>
/// <param name="RequestHash">A <see cref="HashLength"/>-byte digest of the request.</param>
public sealed record WriteIdempotency(string Scope, string Key, byte[] RequestHash)
{
    /// <summary>Longest key, in characters (each one byte: printable ASCII); its length is logged in one byte.</summary>
    public const int MaxKeyLength = Contracts.Routes.IdempotentRoutes.MaxKeyLength;

    /// <summary>Longest scope in UTF-8 bytes (it is logged with the write).</summary>
    public const int MaxScopeBytes = 1024;

    /// <summary>Length of <see cref="RequestHash"/> (SHA-256).</summary>
    public const int HashLength = 32;

    /// <summary>True when <paramref name="key"/> is 1 to 255 printable ASCII characters (0x20 to 0x7E).</summary>
    public static bool IsValidKey(string? key) => Contracts.Routes.IdempotentRoutes.IsValidKey(key);

    /// <summary>Throws <see cref="EngineException"/> (invalid argument) unless the key, scope and hash are well formed.</summary>
    internal void Validate()
    {
        if (!IsValidKey(Key))
        {
            throw EngineException.Invalid($"The idempotency key must be 1 to {MaxKeyLength} printable ASCII characters.");
        }

        if (string.IsNullOrEmpty(Scope) || System.Text.Encoding.UTF8.GetByteCount(Scope) > MaxScopeBytes)
        {
            throw EngineException.Invalid($"The idempotency scope must be 1 to {MaxScopeBytes} bytes.");
        }

        if (RequestHash is null || RequestHash.Length != HashLength)
        {
            throw EngineException.Invalid($"The idempotency request hash must be {HashLength} bytes.");
        }
    }
}
