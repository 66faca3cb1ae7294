using System.Text;
using System.Text.Json;
using Piramid.Engine.Metadata;

namespace Piramid.Engine.Tests.Metadata;

public sealed class MetadataRulesTests
{
    [Fact]
    public void Normalize_KeepsOrderAndUtf8_Compacts()
    {
        var bytes = MetadataRules.Normalize(Parse("""{ "b": 1, "a": "é✓", "n": {"x": [1, 2.5]} }"""));
        Assert.Equal("""{"b":1,"a":"é✓","n":{"x":[1,2.5]}}""", Encoding.UTF8.GetString(bytes!));
    }

    [Fact]
    public void Normalize_NullOrAbsent_IsNone()
    {
        Assert.Null(MetadataRules.Normalize(default));
        Assert.Null(MetadataRules.Normalize(Parse("null")));
    }

    [Theory]
    [InlineData("[1]", "must be a JSON object")]
    [InlineData("\"x\"", "must be a JSON object")]
    [InlineData("""{"a":1,"a":2}""", "metadata.a: the key appears more than once")]
    [InlineData("""{"":1}""", "keys must not be empty")]
    [InlineData("""{"big":1e309}""", "metadata.big: numbers must be finite")]
    public void Normalize_Refuses(string json, string expected)
    {
        var e = Assert.Throws<MetadataException>(() => MetadataRules.Normalize(Parse(json)));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_Depth16Accepted_17Refused()
    {
        MetadataRules.Normalize(Parse(Nested(16)));
        var e = Assert.Throws<MetadataException>(() => MetadataRules.Normalize(Parse(Nested(17))));
        Assert.Contains("depth 17 exceeds the limit of 16", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_SizeLimit_AtTheBoundary()
    {
        // {"s":"..."} is 8 bytes of framing.
        MetadataRules.Normalize(Parse("{\"s\":\"" + new string('a', 100 - 8) + "\"}"), maxBytes: 100);
        Assert.Throws<MetadataException>(() => MetadataRules.Normalize(Parse("{\"s\":\"" + new string('a', 101 - 8) + "\"}"), maxBytes: 100));
    }

    [Fact]
    public void Merge_FollowsRfc7386()
    {
        var existing = MetadataRules.Normalize(Parse("""{"a":1,"b":{"c":2,"d":3},"e":"x"}"""));
        var merged = MetadataRules.Merge(existing, Parse("""{"a":null,"b":{"c":null,"z":9},"e":[1],"f":true}"""));
        Assert.Equal("""{"b":{"d":3,"z":9},"e":[1],"f":true}""", Encoding.UTF8.GetString(merged!));
        Assert.Null(MetadataRules.Merge(MetadataRules.Normalize(Parse("""{"a":1}""")), Parse("""{"a":null}""")));
        Assert.Equal("""{"n":1}""", Encoding.UTF8.GetString(MetadataRules.Merge(null, Parse("""{"n":1}"""))!));
    }

    [Fact]
    public void Schema_ParseValidateRoundTrip()
    {
        var schema = MetadataSchema.Parse(Parse("""{"genre":"keyword","year":"integer","rating":"float","adult":"boolean","plot":"text","author.name":"keyword"}"""))!;
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            schema.WriteTo(w);
        }

        Assert.Equal("""{"genre":"keyword","year":"integer","rating":"float","adult":"boolean","plot":"text","author.name":"keyword"}""", Encoding.UTF8.GetString(stream.ToArray()));
        schema.Validate(Parse("""{"genre":["a","b"],"year":2001,"rating":3,"adult":false,"author":{"name":"x"},"free":{}}"""));
        schema.Validate(Parse("""{"genre":null}"""));
        Assert.Contains("metadata.year", Assert.Throws<MetadataException>(() => schema.Validate(Parse("""{"year":2001.5}"""))).Message, StringComparison.Ordinal);
        Assert.Contains("metadata.author.name", Assert.Throws<MetadataException>(() => schema.Validate(Parse("""{"author":{"name":1}}"""))).Message, StringComparison.Ordinal);
        Assert.Contains("metadata.adult", Assert.Throws<MetadataException>(() => schema.Validate(Parse("""{"adult":"no"}"""))).Message, StringComparison.Ordinal);
        Assert.Throws<MetadataException>(() => MetadataSchema.Parse(Parse("""{"x":"date"}""")));
        Assert.Null(MetadataSchema.Parse(default));
    }

    private static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    private static string Nested(int depth)
    {
        var json = "1";
        for (var i = 0; i < depth; i++)
        {
            json = "{\"k\":" + json + "}";
        }

        return json;
    }
}
