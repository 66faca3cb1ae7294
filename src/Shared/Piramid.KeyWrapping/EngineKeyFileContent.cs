using System.Security.Cryptography;

namespace Piramid.KeyWrapping;

/// <summary>What an engine reads from its key file: its tenant, its data key in clear and its engine secret.</summary>
public sealed class EngineKeyFileContent : IDisposable
{
    private readonly byte[] _dataKey;

    internal EngineKeyFileContent(string tenantId, ReadOnlySpan<byte> dataKey, byte[] engineSecret)
    {
        TenantId = tenantId;
        // Pinned, so the GC never leaves a copy of the clear key behind when it compacts.
        _dataKey = GC.AllocateArray<byte>(dataKey.Length, pinned: true);
        dataKey.CopyTo(_dataKey);
        EngineSecret = engineSecret;
    }

    /// <summary>The tenant the keys belong to; the engine refuses to start for another one.</summary>
    public string TenantId { get; }

    /// <summary>The tenant's data key, unwrapped by the control plane (zero after <see cref="ClearDataKey"/>).</summary>
    public ReadOnlySpan<byte> DataKey => _dataKey;

    /// <summary>The secret that signs the gateway's identity headers and the adoption challenge.</summary>
    public byte[] EngineSecret { get; }

    /// <summary>Zeroes the data key once the engine holds its own copy.</summary>
    public void ClearDataKey() => CryptographicOperations.ZeroMemory(_dataKey);

    /// <summary>Zeroes the data key and the secret (not once the engine uses the secret).</summary>
    public void Dispose()
    {
        ClearDataKey();
        CryptographicOperations.ZeroMemory(EngineSecret);
    }
}
