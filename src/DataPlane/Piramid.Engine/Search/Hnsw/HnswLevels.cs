namespace Piramid.Engine.Search.Hnsw;

/// <summary>How a new node's level is drawn.</summary>
internal static class HnswLevels
{
    /// <summary>
    /// The level of a new node from a uniform 64-bit hash of its id: <c>floor(-ln(u)·mL)</c> with
    /// <c>mL = 1/ln(M)</c>. Hashing the id (not a running random stream) makes replaying the log build the same levels.
    /// </summary>
    public static int LevelFor(ulong hash, int m)
    {
        var u = ((hash >> 11) + 1) * (1.0 / (1UL << 53)); // (0, 1]
        return Math.Min((int)(-Math.Log(u) / Math.Log(m)), 30);
    }

    /// <summary>SplitMix64: spreads a key (a slot, or a hash of an id) into a uniform 64-bit value.</summary>
    public static ulong Mix(ulong key)
    {
        var z = key + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A stable 64-bit hash of a point id (FNV-1a over its UTF-16 code units, then mixed).</summary>
    public static ulong HashId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var hash = 14695981039346656037UL;
        foreach (var c in id)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return Mix(hash);
    }
}
