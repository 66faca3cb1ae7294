using System.Net;
using System.Text.Json.Nodes;
using Piramid.Contracts.Problems;
using Piramid.DataPlane.Tests.Support;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// <c>PATCH /v1/collections/{name}</c> on the real engine process: <c>index.ef</c> changes in place and survives a
/// SIGKILL; every setting that would need a rebuild is a 400 naming it, and a refused change changes nothing.
/// </summary>
public sealed class CollectionSettingsTests
{
    private const string Collection = "docs";

    [Fact]
    public async Task Ef_ChangesInPlace_KeepsThePoints_AndSurvivesAKill()
    {
        await using var host = new EngineTestHost();
        var engine = await host.StartAsync("always");
        using (var http = engine.CreateClient())
        {
            await http.OkAsync(HttpMethod.Put, $"/v1/collections/{Collection}", new { dimension = 2, index = new { type = "hnsw", m = 8, ef = 64 } });
            await http.OkAsync(HttpMethod.Post, $"/v1/collections/{Collection}/points", new { points = new[] { new { id = "a", vector = new[] { 1f, 0f } }, new { id = "b", vector = new[] { 0f, 1f } } } });

            var changed = await http.OkAsync(HttpMethod.Patch, $"/v1/collections/{Collection}", new { index = new { ef = 128 } });
            Assert.Equal(128, changed["index"]!["ef"]!.GetValue<int>());
            Assert.Equal(8, changed["index"]!["m"]!.GetValue<int>());
            Assert.Equal(2, changed["count"]!.GetValue<long>());
            engine.Kill();
        }

        engine = await host.StartAsync("always");
        using var restarted = engine.CreateClient();
        var described = await restarted.OkAsync(HttpMethod.Get, $"/v1/collections/{Collection}");
        Assert.Equal(128, described["index"]!["ef"]!.GetValue<int>());
        Assert.Equal(2, described["count"]!.GetValue<long>());
        var found = await restarted.OkAsync(HttpMethod.Post, $"/v1/collections/{Collection}/search", new { vector = new[] { 1f, 0f }, top_k = 1 });
        Assert.Equal("a", found["results"]![0]!["id"]!.GetValue<string>());
    }

    /// <summary>
    /// Seeded random bodies mixing the current values, other values and out-of-range <c>ef</c>s: a body is accepted
    /// exactly when it changes nothing but a valid <c>ef</c>, a refusal is a 400 naming the first offending field, and
    /// the collection's settings always equal the model's.
    /// </summary>
    [Fact]
    public async Task AnyBody_IsAcceptedOnlyWhenItChangesEfAlone_ARefusalNamesTheFieldAndChangesNothing()
    {
        await using var host = new EngineTestHost();
        var engine = await host.StartAsync("batch");
        using var http = engine.CreateClient();
        var current = new JsonObject
        {
            ["dimension"] = 3,
            ["metric"] = "dot",
            ["index"] = new JsonObject { ["type"] = "hnsw", ["m"] = 12, ["ef_construction"] = 100, ["ef"] = 40 },
            ["quantization"] = "int8",
            ["schema"] = new JsonObject { ["year"] = "integer" },
        };
        await http.OkAsync(HttpMethod.Put, $"/v1/collections/{Collection}", current);

        (string Field, JsonNode Same, JsonNode Other)[] fixedFields =
        [
            ("dimension", 3, 4),
            ("metric", "dot", "cosine"),
            ("index.type", "hnsw", "flat"),
            ("index.m", 12, 16),
            ("index.ef_construction", 100, 200),
            ("quantization", "int8", "none"),
            ("auto_index", true, false),
            ("schema", new JsonObject { ["year"] = "integer" }, new JsonObject { ["year"] = "float" }),
        ];
        var random = new Random(20);
        var ef = 40;
        for (var round = 0; round < 150; round++)
        {
            var body = new JsonObject();
            string? offending = null;
            foreach (var (field, same, other) in fixedFields)
            {
                var pick = random.Next(3);
                if (pick == 0)
                {
                    continue;
                }

                var differs = pick == 2;
                Set(body, field, (differs ? other : same).DeepClone());
                offending ??= differs ? field : null;
            }

            int? requestedEf = random.Next(4) switch
            {
                0 => null,
                1 => 0,
                2 => 10_001,
                _ => random.Next(1, 10_001),
            };
            if (requestedEf is int e)
            {
                Set(body, "index.ef", e);
            }

            var badEf = requestedEf is 0 or 10_001;
            var (status, answer, raw, contentType) = await http.SendAsync(HttpMethod.Patch, $"/v1/collections/{Collection}", body);
            if (offending is null && !badEf)
            {
                Assert.True(status == HttpStatusCode.OK, $"{body.ToJsonString()} -> {raw}");
                ef = requestedEf ?? ef;
            }
            else
            {
                Assert.True(status == HttpStatusCode.BadRequest, $"{body.ToJsonString()} -> {raw}");
                Assert.Equal("application/problem+json", contentType);
                Assert.Equal(ProblemTypes.InvalidRequest, answer!["type"]!.GetValue<string>());

                // The engine checks the fixed fields in the order above, then ef.
                Assert.Contains($"'{offending ?? "index.ef"}'", answer["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            }

            var described = await http.OkAsync(HttpMethod.Get, $"/v1/collections/{Collection}");
            Assert.Equal(ef, described["index"]!["ef"]!.GetValue<int>());
            Assert.Equal(12, described["index"]!["m"]!.GetValue<int>());
            Assert.Equal("dot", described["metric"]!.GetValue<string>());
            Assert.Equal("integer", described["schema"]!["year"]!.GetValue<string>());
            Assert.True(described["auto_index"]!.GetValue<bool>());
        }

        Assert.NotEqual(40, ef);
        var (missingStatus, missing, _, _) = await http.SendAsync(HttpMethod.Patch, "/v1/collections/nosuch", new { index = new { ef = 10 } });
        Assert.Equal(HttpStatusCode.NotFound, missingStatus);
        Assert.Equal(ProblemTypes.NotFound, missing!["type"]!.GetValue<string>());
        var (unknownStatus, _, _, _) = await http.SendRawAsync(HttpMethod.Patch, $"/v1/collections/{Collection}", """{"index":{"ef":10},"name":"other"}""");
        Assert.Equal(HttpStatusCode.BadRequest, unknownStatus);
    }

    private static void Set(JsonObject body, string field, JsonNode value)
    {
        if (field.StartsWith("index.", StringComparison.Ordinal))
        {
            var index = body["index"] as JsonObject ?? (JsonObject)(body["index"] = new JsonObject());
            index[field["index.".Length..]] = value;
        }
        else
        {
            body[field] = value;
        }
    }
}
