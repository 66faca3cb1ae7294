using System.Buffers.Binary;
using System.Diagnostics;

namespace Piramid.TestKit.Datasets;

/// <summary>
/// Fashion-MNIST images from the Debian package <c>dataset-fashion-mnist</c>, as 784-d float vectors of raw
/// pixel values 0..255. The package is installed on first use when missing; tests never skip for lack of it.
/// </summary>
public static class FashionMnist
{
    /// <summary>Where the Debian package puts the idx files.</summary>
    public const string DataDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The Debian package that provides the files.</summary>
    public const string Package = "dataset-fashion-mnist";

    /// <summary>Pixels per image (28 x 28).</summary>
    public const int Dimension = 784;

    // idx3 magic: two zero bytes, type 0x08 (unsigned byte), 3 dimensions.
    private const int Idx3UByteMagic = 0x00000803;

    private static readonly Lock InstallLock = new();

    /// <summary>
    /// The first <paramref name="count"/> images of the training set (60,000) or, with <paramref name="test"/>,
    /// of the test set (10,000).
    /// </summary>
    public static float[][] Load(int count, bool test = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        string path = Path.Combine(DataDirectory, test ? "t10k-images-idx3-ubyte.gz" : "train-images-idx3-ubyte.gz");
        EnsureInstalled(path);

        using var stream = DatasetFile.OpenRead(path);
        Span<byte> header = stackalloc byte[16];
        stream.ReadExactly(header);
        int magic = BinaryPrimitives.ReadInt32BigEndian(header);
        int images = BinaryPrimitives.ReadInt32BigEndian(header[4..]);
        int rows = BinaryPrimitives.ReadInt32BigEndian(header[8..]);
        int columns = BinaryPrimitives.ReadInt32BigEndian(header[12..]);
        if (magic != Idx3UByteMagic || rows * columns != Dimension)
        {
            throw new InvalidDataException(
                $"{path}: not an idx3 28x28 image file (magic 0x{magic:X8}, {rows}x{columns}).");
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, images);
        var result = new float[count][];
        var pixels = new byte[Dimension];
        for (int i = 0; i < count; i++)
        {
            stream.ReadExactly(pixels);
            var vector = new float[Dimension];
            for (int p = 0; p < Dimension; p++)
            {
                vector[p] = pixels[p];
            }

            result[i] = vector;
        }

        return result;
    }

    private static void EnsureInstalled(string path)
    {
        if (File.Exists(path))
        {
            return;
        }

        // Serialized so parallel test classes do not race two apt-get runs on the dpkg lock.
        lock (InstallLock)
        {
            if (File.Exists(path))
            {
                return;
            }

            string output;
            int exitCode;
            try
            {
                using var process = Process.Start(new ProcessStartInfo("apt-get", ["install", "-y", Package])
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                }) ?? throw new InvalidOperationException("apt-get did not start.");
                var stderr = process.StandardError.ReadToEndAsync();
                string stdout = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                output = stdout + stderr.GetAwaiter().GetResult();
                exitCode = process.ExitCode;
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                throw new InvalidOperationException(
                    $"{path} is missing and 'apt-get install -y {Package}' could not be run: {ex.Message}", ex);
            }

            if (exitCode != 0 || !File.Exists(path))
            {
                throw new InvalidOperationException(
                    $"{path} is missing and 'apt-get install -y {Package}' exited with {exitCode}:{Environment.NewLine}{output}");
            }
        }
    }
}
