using System.IO.Compression;

namespace Piramid.TestKit.Datasets;

/// <summary>Opens dataset files, gunzipping transparently when the name ends in <c>.gz</c>.</summary>
public static class DatasetFile
{
    /// <summary>Opens <paramref name="path"/> for sequential reading.</summary>
    public static Stream OpenRead(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            return file;
        }

        return new BufferedStream(new GZipStream(file, CompressionMode.Decompress, leaveOpen: false), 1 << 16);
    }
}
