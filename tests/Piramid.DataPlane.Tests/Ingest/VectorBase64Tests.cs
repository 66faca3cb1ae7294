using System.Buffers.Binary;
using Piramid.DataPlane.Tests.Support;

namespace Piramid.DataPlane.Tests.Ingest;

/// <summary>
/// <c>vector_b64</c>, the binary vector encoding of an upsert (base64 of little-endian float32): a valid one stores
/// exactly the floats it encodes, and every bad one is a 400 problem naming the field, validated as strictly as a
/// JSON array; arbitrary strings and bytes give a 400 or an exact decode, never a 5xx.
/// </summary>
public sealed class VectorBase64Tests : IAsyncLifetime
{
    private const int Dimension = 4;

    private EngineTestHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _host = new EngineTestHost();
        var engine = await _host.StartAsync();
        _http = engine.CreateClient();
        await _http.CreateCollectionAsync("b64", Dimension, metric: "dot", index: "hnsw");
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Upsert_VectorB64_StoresExactlyTheEncodedFloats()
    {
        float[] vector = [0.1f, -2.5e-7f, 3.4e3f, -0f];
        await _http.OkAsync(HttpMethod.Post, "/v1/collections/b64/points",
            new { points = new[] { new { id = "exact", vector_b64 = Encode(vector), metadata = new { tag = "b" } } } });

        var stored = await _http.OkAsync(HttpMethod.Get, "/v1/collections/b64/points/exact?include_vector=true");
        var values = stored["vector"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
        Assert.Equal(vector.Select(BitConverter.SingleToInt32Bits), values.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal("b", stored["metadata"]!["tag"]!.GetValue<string>());

        // It is found like a point sent as a JSON array.
        var found = await _http.OkAsync(HttpMethod.Post, "/v1/collections/b64/search", new { vector = new[] { 0f, 0f, 1f, 0f }, top_k = 1 });
        Assert.Equal("exact", found["results"]![0]!["id"]!.GetValue<string>());
    }

    public static TheoryData<string, string, string> BadVectors => new()
    {
        { "not base64", "\"@@@@\"", "base64" },
        { "base64 without padding", "\"AAAAAAAAAAAAAAAAAAAAAA\"", "base64" },
        { "a number", "12", "base64" },
        { "10 bytes", Quote(new byte[10]), "whole number of float32" },
        { "3 values", Quote(new byte[12]), "dimension is 4" },
        { "5 values", Quote(new byte[20]), "dimension is 4" },
        { "empty", "\"\"", "dimension is 4" },
        { "NaN", Quote(Bytes([1f, float.NaN, 0f, 0f])), "vector_b64[1]' is not a finite number" },
        { "Infinity", Quote(Bytes([1f, 0f, 0f, float.NegativeInfinity])), "vector_b64[3]' is not a finite number" },
        { "float max", Quote(Bytes([float.MaxValue, 0f, 0f, 0f])), "vector_b64[0]" },
    };

    [Theory]
    [MemberData(nameof(BadVectors))]
    public async Task Upsert_BadVectorB64_Is400NamingTheFieldAndPersistsNothing(string name, string value, string detail)
    {
        var response = await _http.SendRawAsync(HttpMethod.Post, "/v1/collections/b64/points",
            "{\"points\":[{\"id\":\"bad\",\"vector_b64\":" + value + "}]}");
        ApiCalls.AssertProblem(response, 400, detail);
        var missing = await _http.SendAsync(HttpMethod.Get, "/v1/collections/b64/points/bad");
        Assert.True((int)missing.Status == 404, $"{name}: the point was stored ({missing.Raw})");
    }

    [Fact]
    public async Task Upsert_VectorAndVectorB64_Is400()
    {
        var response = await _http.SendAsync(HttpMethod.Post, "/v1/collections/b64/points",
            new { points = new[] { new { id = "both", vector = new[] { 1f, 0f, 0f, 0f }, vector_b64 = Encode([1f, 0f, 0f, 0f]) } } });
        ApiCalls.AssertProblem(response, 400, "not both");
    }

    /// <summary>
    /// Seeded random strings: base64 of random bytes (lengths around the right one, any bit pattern, NaNs and
    /// infinities included) and random text. Each is a 400 problem, or a 200 after which the stored vector is the
    /// bytes decoded as little-endian float32, bit for bit; never anything else.
    /// </summary>
    [Fact]
    public async Task Upsert_RandomVectorB64_Is400OrExactDecode()
    {
        var random = new Random(20_261_207);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \\\"é\u0001";
        var accepted = 0;
        for (var round = 0; round < 150; round++)
        {
            string value;
            byte[]? bytes = null;
            if (round % 3 == 2)
            {
                var text = new char[random.Next(0, 30)];
                for (var i = 0; i < text.Length; i++)
                {
                    text[i] = alphabet[random.Next(alphabet.Length)];
                }

                value = System.Text.Json.JsonSerializer.Serialize(new string(text));
            }
            else
            {
                bytes = new byte[random.Next(2) == 0 ? Dimension * sizeof(float) : random.Next(0, 24)];
                random.NextBytes(bytes);
                if (round % 3 == 1 && bytes.Length >= sizeof(float))
                {
                    // Exponent bits all set in one value: NaN or an infinity.
                    bytes[3] |= 0x7F;
                    bytes[2] |= 0x80;
                }

                value = Quote(bytes);
            }

            var id = $"r{round}";
            var response = await _http.SendRawAsync(HttpMethod.Post, "/v1/collections/b64/points",
                "{\"points\":[{\"id\":\"" + id + "\",\"vector_b64\":" + value + "}]}");
            if ((int)response.Status == 200)
            {
                accepted++;
                var decoded = bytes ?? Convert.FromBase64String(System.Text.Json.JsonSerializer.Deserialize<string>(value)!);
                Assert.Equal(Dimension * sizeof(float), decoded.Length);
                var stored = await _http.OkAsync(HttpMethod.Get, $"/v1/collections/b64/points/{id}?include_vector=true");
                var values = stored["vector"]!.AsArray().Select(v => BitConverter.SingleToInt32Bits(v!.GetValue<float>())).ToArray();
                var expected = Enumerable.Range(0, Dimension).Select(i => BinaryPrimitives.ReadInt32LittleEndian(decoded.AsSpan(i * sizeof(float)))).ToArray();
                Assert.Equal(expected, values);
            }
            else
            {
                ApiCalls.AssertProblem(response, 400);
            }
        }

        // The seed makes some valid: the decode path was checked, not only the refusals.
        Assert.True(accepted > 0, "no random vector was accepted");
    }

    private static string Encode(float[] vector) => Convert.ToBase64String(Bytes(vector));

    private static string Quote(byte[] bytes) => "\"" + Convert.ToBase64String(bytes) + "\"";

    private static byte[] Bytes(float[] vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        for (var i = 0; i < vector.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        }

        return bytes;
    }
}
