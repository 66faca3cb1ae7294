namespace Piramid.Engine;

/// <summary>Plan limits the engine enforces on writes (403 quota-exceeded). Null means unlimited.</summary>
public sealed class EngineQuotas
{
    /// <summary>Most collections.</summary>
    public int? MaxCollections { get; init; }

    /// <summary>Most points across all collections.</summary>
    public long? MaxPoints { get; init; }

    /// <summary>Largest vector dimension.</summary>
    public int? MaxDimension { get; init; }

    /// <summary>Most bytes on disk across all collections.</summary>
    public long? MaxStorageBytes { get; init; }
}
