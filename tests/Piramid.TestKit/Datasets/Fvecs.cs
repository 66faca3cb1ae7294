namespace Piramid.TestKit.Datasets;

/// <summary>Reads TEXMEX <c>.fvecs</c> files (<c>.fvecs.gz</c> is gunzipped on the fly).</summary>
public static class Fvecs
{
    /// <summary>Reads up to <paramref name="maxCount"/> float vectors from <paramref name="path"/>.</summary>
    public static float[][] Read(string path, int maxCount = int.MaxValue) => TexmexReader.Read<float>(path, maxCount);
}
