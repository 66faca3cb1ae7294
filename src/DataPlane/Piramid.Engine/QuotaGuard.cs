using Piramid.Engine.Collections;

namespace Piramid.Engine;

/// <summary>
/// Enforces the plan limits of <see cref="EngineQuotas"/> across the engine's collections. Point counts
/// are summed on demand (few collections per tenant); storage is sampled by the maintenance loop.
/// </summary>
public sealed class QuotaGuard(EngineQuotas quotas, Func<IEnumerable<Collection>> collections)
{
    private long _storageBytes;

    /// <summary>The limits in force.</summary>
    public EngineQuotas Quotas { get; set; } = quotas;

    /// <summary>Last sampled bytes on disk.</summary>
    public long StorageBytes
    {
        get => Volatile.Read(ref _storageBytes);
        set => Volatile.Write(ref _storageBytes, value);
    }

    /// <summary>Refuses adding <paramref name="newPoints"/> points past the plan's point or storage limit.</summary>
    public void CheckWrite(long newPoints)
    {
        var q = Quotas;
        if (q.MaxStorageBytes is long maxBytes && StorageBytes >= maxBytes)
        {
            throw EngineException.QuotaExceeded(
                $"The plan's storage limit of {maxBytes} bytes is reached ({StorageBytes} bytes used). Delete data or upgrade the plan.");
        }

        if (newPoints > 0 && q.MaxPoints is long maxPoints)
        {
            long total = 0;
            foreach (var c in collections())
            {
                total += c.Count;
            }

            if (total + newPoints > maxPoints)
            {
                throw EngineException.QuotaExceeded(
                    $"The plan's limit of {maxPoints} points would be passed: {total} stored, {newPoints} new in this request.");
            }
        }
    }

    /// <summary>Refuses a new collection past the plan's collection limit.</summary>
    public void CheckNewCollection(int existing)
    {
        if (Quotas.MaxCollections is int max && existing >= max)
        {
            throw EngineException.QuotaExceeded($"The plan's limit of {max} collections is reached.");
        }
    }
}
