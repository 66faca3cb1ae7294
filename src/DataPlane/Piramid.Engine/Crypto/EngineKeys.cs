using System.Security.Cryptography;

namespace Piramid.Engine.Crypto;

/// <summary>What an engine gets from its key file: its tenant, its data key and its engine secret.</summary>
public sealed class EngineKeys : IDisposable
{
    internal EngineKeys(string tenantId, DataKey dataKey, byte[] engineSecret)
    {
        TenantId = tenantId;
        DataKey = dataKey;
        EngineSecret = engineSecret;
    }

    /// <summary>The tenant the keys belong to; the engine refuses to start for another one.</summary>
    public string TenantId { get; }

    /// <summary>The tenant's data key, unwrapped by the control plane.</summary>
    public DataKey DataKey { get; }

    /// <summary>The secret that signs the gateway's identity headers and the adoption challenge.</summary>
    public byte[] EngineSecret { get; }

    /// <summary>Zeroes the secret and the data key (once the engine owns the key, do not dispose this).</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(EngineSecret);
        DataKey.Dispose();
    }
}
