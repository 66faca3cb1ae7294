using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Piramid.Engine.Filtering;
using Piramid.Engine.Filtering.Indexes;
using Piramid.Engine.Metadata;

namespace Piramid.Engine.Tests.Filtering.Indexes;

/// <summary>
/// Seeded random metadata for 20,000 slots: keyword fields with 100 values (scalar and array-valued), integers
/// 0..999, floats, booleans, a nested keyword; some points miss fields, some hold wrongly typed values, some
/// have no metadata. Two versions per slot, so tests can update points.
/// </summary>
internal static class IndexTestData
{
    public const int Points = 20_000;

    public static readonly MetadataSchema Schema = MetadataSchema.Parse(JsonDocument.Parse("""
        {
          "genre": "keyword", "category": "keyword", "tags": "keyword", "author.lang": "keyword",
          "year": "integer", "sizes": "integer", "price": "float", "active": "boolean", "title": "text"
        }
        """).RootElement)!;

    private static readonly string[] Languages = ["en", "fr", "de", "es", "it", "ja", "zh", "pt"];

    public static readonly JsonElement[] Version1 = Generate(new Random(20240611));

    public static readonly JsonElement[] Version2 = Generate(new Random(7));

    /// <summary>A fresh index over <paramref name="metadata"/>, filled in a shuffled slot order.</summary>
    public static MetadataIndexes Build(JsonElement[] metadata, int seed = 1)
    {
        var indexes = new MetadataIndexes(Schema);
        var order = Enumerable.Range(0, metadata.Length).ToArray();
        new Random(seed).Shuffle(order);
        foreach (var slot in order)
        {
            indexes.Add(slot, metadata[slot]);
        }

        return indexes;
    }

    /// <summary>The slots of present points that the filter matches, ascending: the ground truth.</summary>
    public static List<int> BruteForce(CompiledFilter filter, JsonElement[] metadata, bool[]? present = null)
    {
        var matches = new List<int>();
        for (var slot = 0; slot < metadata.Length; slot++)
        {
            if ((present is null || present[slot]) && filter.Matches(metadata[slot]))
            {
                matches.Add(slot);
            }
        }

        return matches;
    }

    public static CompiledFilter Compile(string json) => CompiledFilter.Compile(JsonDocument.Parse(json).RootElement);

    private static JsonElement[] Generate(Random random)
    {
        var points = new JsonElement[Points];
        var buffer = new ArrayBufferWriter<byte>();
        for (var slot = 0; slot < Points; slot++)
        {
            if (random.Next(50) == 0)
            {
                points[slot] = default;
                continue;
            }

            buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                WriteGenre(writer, random);
                WriteCategory(writer, random);
                WriteTags(writer, random);
                WriteAuthor(writer, random);
                WriteYear(writer, random);
                WriteSizes(writer, random);
                WritePrice(writer, random);
                WriteActive(writer, random);
                writer.WriteString("title", $"title {random.Next(1000)}");
                writer.WriteNumber("other", random.Next(10));
                writer.WriteEndObject();
            }

            using var document = JsonDocument.Parse(buffer.WrittenMemory);
            points[slot] = document.RootElement.Clone();
        }

        return points;
    }

    private static string Value(string prefix, int value) => prefix + value.ToString("D3", CultureInfo.InvariantCulture);

    private static void WriteGenre(Utf8JsonWriter writer, Random random)
    {
        var roll = random.Next(100);
        if (roll < 90)
        {
            writer.WriteString("genre", Value("g", random.Next(100)));
        }
        else if (roll < 95)
        {
            // Arrays may repeat a value and mix in a number, which never equals a string.
            writer.WriteStartArray("genre");
            for (var i = random.Next(1, 4); i > 0; i--)
            {
                writer.WriteStringValue(Value("g", random.Next(100)));
            }

            writer.WriteNumberValue(7);
            writer.WriteEndArray();
        }
        else if (roll < 97)
        {
            writer.WriteNumber("genre", random.Next(10));
        }
        else if (roll < 98)
        {
            writer.WriteNull("genre");
        }
    }

    private static void WriteCategory(Utf8JsonWriter writer, Random random)
    {
        if (random.Next(20) != 0)
        {
            writer.WriteString("category", Value("c", random.Next(100)));
        }
    }

    private static void WriteTags(Utf8JsonWriter writer, Random random)
    {
        var roll = random.Next(10);
        if (roll < 7)
        {
            writer.WriteStartArray("tags");
            for (var i = random.Next(5); i > 0; i--)
            {
                // One tag in 40 needs escaping in JSON, exercising the unescaping path.
                writer.WriteStringValue(random.Next(40) == 0 ? "t\"q" : Value("t", random.Next(20)));
            }

            writer.WriteEndArray();
        }
        else if (roll < 8)
        {
            writer.WriteString("tags", Value("t", random.Next(20)));
        }
    }

    private static void WriteAuthor(Utf8JsonWriter writer, Random random)
    {
        var roll = random.Next(20);
        if (roll < 16)
        {
            writer.WriteStartObject("author");
            writer.WriteString("lang", Languages[random.Next(Languages.Length)]);
            writer.WriteEndObject();
        }
        else if (roll == 16)
        {
            // A scalar on the way: author.lang is missing.
            writer.WriteString("author", "anonymous");
        }
    }

    private static void WriteYear(Utf8JsonWriter writer, Random random)
    {
        var roll = random.Next(100);
        if (roll < 90)
        {
            writer.WriteNumber("year", random.Next(1000));
        }
        else if (roll < 93)
        {
            writer.WriteString("year", random.Next(1000).ToString(CultureInfo.InvariantCulture));
        }
        else if (roll < 95)
        {
            // Fractional, so wrongly typed for an integer field, but still a number the filter compares.
            writer.WriteNumber("year", random.Next(1000) + 0.5);
        }
        else if (roll < 97)
        {
            writer.WriteBoolean("year", true);
        }
    }

    private static void WriteSizes(Utf8JsonWriter writer, Random random)
    {
        var roll = random.Next(10);
        if (roll < 5)
        {
            writer.WriteStartArray("sizes");
            for (var i = random.Next(1, 4); i > 0; i--)
            {
                writer.WriteNumberValue(random.Next(100));
            }

            writer.WriteEndArray();
        }
        else if (roll < 8)
        {
            writer.WriteNumber("sizes", random.Next(100));
        }
    }

    private static void WritePrice(Utf8JsonWriter writer, Random random)
    {
        var roll = random.Next(100);
        if (roll < 85)
        {
            writer.WriteNumber("price", Math.Round(random.NextDouble() * 100, 2));
        }
        else if (roll < 88)
        {
            writer.WriteNumber("price", roll % 2 == 0 ? 0.0 : -0.0);
        }
        else if (roll < 92)
        {
            writer.WriteString("price", "cheap");
        }
    }

    private static void WriteActive(Utf8JsonWriter writer, Random random)
    {
        var roll = random.Next(100);
        if (roll < 80)
        {
            writer.WriteBoolean("active", random.Next(2) == 0);
        }
        else if (roll < 85)
        {
            writer.WriteString("active", "yes");
        }
        else if (roll < 88)
        {
            writer.WriteStartArray("active");
            writer.WriteBooleanValue(true);
            writer.WriteBooleanValue(false);
            writer.WriteEndArray();
        }
    }
}
