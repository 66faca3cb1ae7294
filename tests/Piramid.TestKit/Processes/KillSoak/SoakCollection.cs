using System.Text.Json.Nodes;

namespace Piramid.TestKit.Processes.KillSoak;

/// <summary>One collection the kill soak writes to: its name and creation settings.</summary>
/// <param name="Name">Collection name.</param>
/// <param name="Metric">Distance metric.</param>
/// <param name="Index">Index type (<c>flat</c> or <c>hnsw</c>).</param>
/// <param name="Quantization"><c>none</c> or <c>int8</c>.</param>
public sealed record SoakCollection(string Name, string Metric, string Index, string Quantization)
{
    /// <summary>Flat, HNSW and HNSW with int8 codes: each keeps different state that recovery rebuilds.</summary>
    public static IReadOnlyList<SoakCollection> Defaults { get; } =
    [
        new("soak-flat", "euclidean", "flat", "none"),
        new("soak-hnsw", "cosine", "hnsw", "none"),
        new("soak-int8", "dot", "hnsw", "int8"),
    ];

    /// <summary>The body of <c>PUT /v1/collections/{name}</c>.</summary>
    internal JsonObject ToRequest(int dimension) => new()
    {
        ["dimension"] = dimension,
        ["metric"] = Metric,
        // Small graph settings keep inserts cheap on a loaded 2-core machine; recovery rebuilds them all the same.
        ["index"] = Index == "hnsw" ? new JsonObject { ["type"] = "hnsw", ["m"] = 8, ["ef_construction"] = 32, ["ef"] = 16 } : new JsonObject { ["type"] = Index },
        ["quantization"] = Quantization,
    };
}
