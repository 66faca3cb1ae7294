using System.IO.Compression;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Piramid.DataPlane.Tests.Support;

/// <summary>Export files for tests: seeded points as NDJSON lines, gzip, streamed bodies, and a collection's content hash.</summary>
public static class ExportFiles
{
    /// <summary>The internal export and import paths of a collection.</summary>
    public static string ExportPath(string collection, string? encoding = null) =>
        $"/internal/v1/collections/{collection}/export" + (encoding is null ? string.Empty : $"?vector_encoding={encoding}");

    /// <summary>The import path with its id.</summary>
    public static string ImportPath(string collection, string importId) => $"/internal/v1/collections/{collection}/import?import_id={importId}";

    /// <summary>Seeded points: ids <c>p00000</c>…, vectors in [-1, 1), metadata on two points of three.</summary>
    public static IEnumerable<(string Id, float[] Vector, string? Metadata)> Points(int count, int dimension, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var vector = new float[dimension];
            for (var d = 0; d < dimension; d++)
            {
                vector[d] = (float)(random.NextDouble() * 2 - 1);
            }

            yield return ($"p{i:D5}", vector, i % 3 == 0 ? null : $"{{\"n\":{i},\"tag\":\"t{i % 7}\",\"deep\":{{\"x\":[{i % 5},true,null]}}}}");
        }
    }

    /// <summary>One NDJSON line (without its newline) in <paramref name="encoding"/>.</summary>
    public static string Line((string Id, float[] Vector, string? Metadata) point, string encoding = "base64-f32le")
    {
        var vector = encoding == "json"
            ? "[" + string.Join(",", point.Vector.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]"
            : "\"" + Convert.ToBase64String(MemoryMarshal.AsBytes(point.Vector.AsSpan())) + "\"";
        return $"{{\"id\":{JsonSerializer.Serialize(point.Id)},\"vector\":{vector},\"metadata\":{point.Metadata ?? "null"}}}";
    }

    /// <summary>Gzip of <paramref name="bytes"/>.</summary>
    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }

    /// <summary>The lines of a gzip NDJSON file.</summary>
    public static string[] Gunzip(byte[] gz)
    {
        using var gzip = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>POSTs a body to the import path; returns status and JSON.</summary>
    public static async Task<(HttpStatusCode Status, JsonNode? Body, string Raw)> ImportAsync(this HttpClient http, string collection, string importId, HttpContent content)
    {
        using var response = await http.PostAsync(ImportPath(collection, importId), content);
        var raw = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, raw.Length > 0 ? JsonNode.Parse(raw) : null, raw);
    }

    /// <summary>
    /// SHA-256 over every point in id order: id, vector bytes and metadata re-serialized from its parse (so key
    /// order and spacing, as stored, count, and nothing else).
    /// </summary>
    public static async Task<string> ContentHashAsync(this HttpClient http, string collection)
    {
        var all = await http.ScrollAllAsync(collection);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (id, point) in all.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(id + "\n"));
            var vector = point["vector"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
            hash.AppendData(MemoryMarshal.AsBytes(vector.AsSpan()));
            hash.AppendData(Encoding.UTF8.GetBytes("\n" + (point["metadata"]?.ToJsonString() ?? "null") + "\n"));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
