using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Piramid.Benchmarks;

/// <summary>
/// Bulk upserts through the HTTP API: seeded random vectors with <c>{"bucket": i % 100, "group": i % 10}</c> metadata,
/// serialized before the clock starts (the load generator's JSON writing is not what is measured), sent by
/// concurrent writers, each batch acknowledged (durable) before that writer sends its next.
/// </summary>
internal static class ApiLoad
{
    /// <summary>
    /// The request bodies of <paramref name="count"/> points in batches of <paramref name="batch"/>, each vector a JSON
    /// array or, with <paramref name="base64"/>, a <c>vector_b64</c> string (little-endian float32); the same values either way.
    /// </summary>
    public static List<byte[]> Bodies(int count, int dimension, int batch, int seed = 42, bool base64 = false)
    {
        var random = new Random(seed);
        var bodies = new List<byte[]>();
        var text = new StringBuilder();
        var values = new float[dimension];
        for (var first = 0; first < count; first += batch)
        {
            text.Clear().Append("{\"points\":[");
            for (var i = first; i < Math.Min(count, first + batch); i++)
            {
                for (var d = 0; d < dimension; d++)
                {
                    values[d] = random.NextSingle() - 0.5f;
                }

                text.Append(i == first ? "{" : ",{").Append(CultureInfo.InvariantCulture, $"\"id\":\"{i}\",");
                if (base64)
                {
                    var bytes = new byte[dimension * sizeof(float)];
                    for (var d = 0; d < dimension; d++)
                    {
                        System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(d * sizeof(float)), values[d]);
                    }

                    text.Append("\"vector_b64\":\"").Append(Convert.ToBase64String(bytes)).Append("\",\"metadata\":");
                }
                else
                {
                    text.Append("\"vector\":[");
                    for (var d = 0; d < dimension; d++)
                    {
                        text.Append(d == 0 ? string.Empty : ",").Append(values[d].ToString("R", CultureInfo.InvariantCulture));
                    }

                    text.Append("],\"metadata\":");
                }

                text.Append(CultureInfo.InvariantCulture, $"{{\"bucket\":{i % 100},\"group\":{i % 10}}}}}");
            }

            bodies.Add(Encoding.UTF8.GetBytes(text.Append("]}").ToString()));
        }

        return bodies;
    }

    /// <summary>Sends every body with <paramref name="writers"/> concurrent writers; returns the wall time.</summary>
    public static async Task<TimeSpan> SendAsync(HttpClient http, string collection, List<byte[]> bodies, int writers)
    {
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < bodies.Count)
            {
                using var content = new ByteArrayContent(bodies[i]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync(new Uri($"/v1/collections/{collection}/points", UriKind.Relative), content);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"upsert answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
        }));
        return clock.Elapsed;
    }

    /// <summary>Creates (or finds) a collection with the given settings.</summary>
    public static async Task CreateAsync(HttpClient http, string name, int dimension, string index, int efConstruction, bool autoIndex = true)
    {
        var body = index == "flat"
            ? $"{{\"dimension\":{dimension},\"index\":{{\"type\":\"flat\"}},\"auto_index\":{(autoIndex ? "true" : "false")}}}"
            : $"{{\"dimension\":{dimension},\"index\":{{\"type\":\"hnsw\",\"ef_construction\":{efConstruction}}},\"auto_index\":{(autoIndex ? "true" : "false")}}}";
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PutAsync(new Uri($"/v1/collections/{name}", UriKind.Relative), content);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"create answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
