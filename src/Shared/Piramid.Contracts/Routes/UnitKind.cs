namespace Piramid.Contracts.Routes;

/// <summary>How a call is counted: read units and the read rate bucket, or write units and the write bucket.</summary>
public enum UnitKind
{
    /// <summary>Reads and searches.</summary>
    Read,

    /// <summary>Writes points or manages collections, keys, tenants or plans.</summary>
    Write,
}
