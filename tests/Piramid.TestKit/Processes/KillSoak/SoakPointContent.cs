using System.Globalization;
using System.Text.Json.Nodes;

namespace Piramid.TestKit.Processes.KillSoak;

/// <summary>
/// A point's vector and metadata derive from (seed, id, version, batch), so the soak keeps only a version
/// per id in memory, and a point holding one version's vector with another's metadata is caught.
/// </summary>
internal static class SoakPointContent
{
    public static float[] Vector(int seed, string lane, long version, int dimension)
    {
        var random = new Random(StableHash(seed, lane, version));
        var vector = new float[dimension];
        for (var d = 0; d < dimension; d++)
        {
            // Magnitudes from 1e-3 to 1e3 so that a rounding or truncation anywhere shows in the bits.
            vector[d] = (float)((random.NextDouble() * 2) - 1) * MathF.Pow(10, random.Next(-3, 4));
        }

        return vector;
    }

    public static JsonObject Metadata(string id, PointState state) => new()
    {
        ["id"] = id,
        ["v"] = state.Version,
        ["batch"] = state.Batch,
        ["note"] = $"π≈{(state.Version * 0.37).ToString(CultureInfo.InvariantCulture)} \"quoted\" ✓",
        ["tags"] = new JsonArray("soak", state.Version % 2 == 0 ? "even" : "odd"),
    };

    // string.GetHashCode is randomized per process; the soak must regenerate the same vector in any run.
    private static int StableHash(int seed, string lane, long version)
    {
        var hash = 2166136261u ^ (uint)seed;
        foreach (var c in lane)
        {
            hash = (hash ^ c) * 16777619u;
        }

        hash = (hash ^ (uint)version) * 16777619u;
        hash = (hash ^ (uint)(version >> 32)) * 16777619u;
        return unchecked((int)hash);
    }
}
