using System.Globalization;
using System.IO.Compression;
using System.Net;
using Piramid.DataPlane.Tests.Support;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// An export streams: exporting 100,000 × 256-d points (102 MB of vectors) raises the engine's peak resident memory
/// by far less than the data. The peak is the kernel's high-water mark (VmHWM), reset just before the export through
/// <c>/proc/pid/clear_refs</c>, against the resident size (VmRSS) at that moment. An engine that gathered the
/// collection, or even its vectors, before sending would pass the bound several times over.
/// </summary>
public sealed class ExportMemoryTests
{
    private const int Points = 100_000;
    private const int Dimension = 256;

    // Half of the vectors alone (102 MB). The export holds one batch of 256 points and the gzip window, but how much
    // garbage stands before a collection depends on the GC's timing: 20 MB was measured on a loaded machine and 30 MB
    // in CI. An export that gathered the vectors first would grow by all of them and more.
    private const long MaxGrowthBytes = (long)Points * Dimension * sizeof(float) / 2;

    [Fact]
    public async Task Export_Of100kPoints256d_RaisesThePeakMemoryByFarLessThanTheData()
    {
        await using var host = new EngineTestHost();
        var engine = await host.StartAsync();
        using var http = engine.CreateClient(role: "platform_admin", principal: "control-plane");
        await http.CreateCollectionAsync("big", Dimension);
        var loaded = await http.ImportAsync("big", "load", new LinesContent(ExportFiles.Points(Points, Dimension, seed: 1).Select(p => ExportFiles.Line(p))));
        Assert.True(loaded.Status == HttpStatusCode.OK, loaded.Raw);

        var baseline = ResetPeak(engine.Pid);
        using var response = await http.GetAsync(ExportFiles.ExportPath("big"), HttpCompletionOption.ResponseHeadersRead);
        var lines = await CountLinesAsync(await response.Content.ReadAsStreamAsync());
        var peak = Status(engine.Pid, "VmHWM");

        Assert.Equal(Points, lines);
        var growth = peak - baseline;
        Assert.True(growth < MaxGrowthBytes,
            $"The export raised the engine's peak memory by {growth / 1024 / 1024} MB (baseline {baseline / 1024 / 1024} MB, " +
            $"peak {peak / 1024 / 1024} MB); the bound is {MaxGrowthBytes / 1024 / 1024} MB for {(long)Points * Dimension * 4 / 1024 / 1024} MB of vectors.");
    }

    private static async Task<long> CountLinesAsync(Stream body)
    {
        await using var gzip = new GZipStream(body, CompressionMode.Decompress);
        var buffer = new byte[256 * 1024];
        long lines = 0;
        int read;
        while ((read = await gzip.ReadAsync(buffer)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        return lines;
    }

    // Writing 5 to clear_refs resets the peak resident set size to the current one (Linux 4.0+).
    private static long ResetPeak(int pid)
    {
        File.WriteAllText($"/proc/{pid}/clear_refs", "5");
        return Status(pid, "VmRSS");
    }

    private static long Status(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
