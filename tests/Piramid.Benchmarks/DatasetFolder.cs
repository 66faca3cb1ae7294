using Piramid.TestKit.Datasets;

namespace Piramid.Benchmarks;

/// <summary>Loads the base vectors (and ids, when the folder has <c>base_ids.txt</c>) of a TEXMEX dataset folder.</summary>
internal static class DatasetFolder
{
    public static (float[][] Vectors, string[] Ids) LoadBase(string folder, int limit)
    {
        var basePath = File.Exists(Path.Combine(folder, "base.fvecs"))
            ? Path.Combine(folder, "base.fvecs")
            : Path.Combine(folder, "base.fvecs.gz");
        var vectors = Fvecs.Read(basePath, limit);
        var idsPath = Path.Combine(folder, "base_ids.txt");
        var ids = File.Exists(idsPath)
            ? File.ReadLines(idsPath).Take(vectors.Length).ToArray()
            : Enumerable.Range(0, vectors.Length).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return (vectors, ids);
    }
}
