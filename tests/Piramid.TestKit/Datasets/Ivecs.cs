namespace Piramid.TestKit.Datasets;

/// <summary>Reads TEXMEX <c>.ivecs</c> files (<c>.ivecs.gz</c> is gunzipped on the fly), e.g. ground-truth ids.</summary>
public static class Ivecs
{
    /// <summary>Reads up to <paramref name="maxCount"/> int vectors from <paramref name="path"/>.</summary>
    public static int[][] Read(string path, int maxCount = int.MaxValue) => TexmexReader.Read<int>(path, maxCount);
}
