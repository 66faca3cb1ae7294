using System.Security.Cryptography;

namespace Piramid.Backups.Tests.Stores;

/// <summary>Deterministic test content and its SHA-256.</summary>
internal sealed record Blob(byte[] Bytes, string Sha256Hex)
{
    public static Blob Create(int seed, int size)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return new Blob(bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    public MemoryStream Stream() => new(Bytes, writable: false);
}
