using System.Runtime.Intrinsics;
using System.Text.Json;

namespace Piramid.Benchmarks;

/// <summary>Writes a mode's results as JSON to <c>tests/Piramid.Benchmarks/results/&lt;name&gt;.json</c>.</summary>
internal static class BenchmarkReport
{
    public static string Write(string name, Action<Utf8JsonWriter> writeBody)
    {
        string directory = Path.Combine(FindProjectDirectory(), "results");
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, name + ".json");
        using (var stream = File.Create(path))
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("timestamp_utc", TimeProvider.System.GetUtcNow());
            json.WriteStartObject("machine");
            json.WriteNumber("processor_count", Environment.ProcessorCount);
            json.WriteString("runtime", Environment.Version.ToString());
            json.WriteBoolean("vector512", Vector512.IsHardwareAccelerated);
            json.WriteBoolean("vector256", Vector256.IsHardwareAccelerated);
            json.WriteEndObject();
            writeBody(json);
            json.WriteEndObject();
        }

        return path;
    }

    // Results belong next to the project whatever the working directory: walk up from bin/<config>/<tfm>/.
    private static string FindProjectDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Piramid.Benchmarks.csproj")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
