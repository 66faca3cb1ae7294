using System.Text;
using System.Text.Json;
using Piramid.Contracts;
using Piramid.Engine.Metadata;

namespace Piramid.Engine.Tests.Metadata;

public class MetadataRulesTests
{
    [Fact]
    public void Normalize_WritesCompactCanonicalBytes_KeepingKeyOrderAndNumberTokens()
    {
        const string input = """
            { "z": 1, "a": [ true, null, 1.50, 12345678901234567890 ],
              "m": { "name": "caf\u00e9 \"x\"", "e": {} } }
            """;

        var bytes = Normalize(input);

        const string expected = """{"z":1,"a":[true,null,1.50,12345678901234567890],"m":{"name":"café \"x\"","e":{}}}""";
        Assert.Equal(expected, Encoding.UTF8.GetString(bytes!));
        using var again = JsonDocument.Parse(bytes!);
        Assert.Equal(bytes, MetadataRules.Normalize(again.RootElement));
    }

    [Fact]
    public void Normalize_NullOrUndefined_MeansNoMetadata()
    {
        using var jsonNull = JsonDocument.Parse("null");

        Assert.Null(MetadataRules.Normalize(default));
        Assert.Null(MetadataRules.Normalize(jsonNull.RootElement));
    }

    [Theory]
    [InlineData("[1]", "metadata: expected a JSON object, got array")]
    [InlineData("\"x\"", "metadata: expected a JSON object, got string")]
    [InlineData("""{"a":{"":1}}""", "metadata.a: empty key")]
    [InlineData("""{"a":{"b":1,"b":2}}""", "metadata.a.b: duplicate key 'b'")]
    [InlineData("""{"a":1,"\u0061":2}""", "metadata.a: duplicate key 'a'")]
    [InlineData("""{"a":[0,{"big":1e309}]}""", "metadata.a[1].big: number 1e309 is not a finite double")]
    [InlineData("""{"a":-1e400}""", "metadata.a: number -1e400 is not a finite double")]
    [InlineData("""{"a":"\uD800"}""", "metadata.a: string is not valid UTF-16")]
    [InlineData("""{"a.b":1}""", "metadata.a.b: key 'a.b' contains '.'")]
    [InlineData("""{"a":{"$gt":1}}""", "metadata.a.$gt: key '$gt' starts with '$'")]
    [InlineData("""{"a":[{"x\u0000":1}]}""", "metadata.a[0].x\u0000: key 'x\u0000' contains a control character")]
    [InlineData("""{"del\u007f":1}""", "metadata.del\u007f: key 'del\u007f' contains a control character")]
    public void Normalize_BrokenRule_ThrowsNamingThePath(string input, string expectedMessage)
    {
        var error = Assert.Throws<MetadataException>(() => Normalize(input));

        Assert.StartsWith(expectedMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_HugeButFiniteNumber_IsKept()
    {
        Assert.Equal("""{"a":1.7e308,"b":-1e-400}""", Encoding.UTF8.GetString(Normalize("""{"a":1.7e308,"b":-1e-400}""")!));
    }

    [Fact]
    public void Normalize_DepthAtTheLimit_IsAccepted_AndOneDeeperIsRefused()
    {
        var atLimit = Nested(Limits.MaxMetadataDepth);
        Assert.Equal(atLimit, Encoding.UTF8.GetString(Normalize(atLimit)!));

        var error = Assert.Throws<MetadataException>(() => Normalize(Nested(Limits.MaxMetadataDepth + 1)));
        var path = "metadata" + string.Concat(Enumerable.Repeat(".a", Limits.MaxMetadataDepth));
        Assert.Equal($"{path}: nesting depth 17 exceeds the limit of 16", error.Message);
    }

    [Fact]
    public void Normalize_ArraysCountTowardsDepth()
    {
        Assert.NotNull(Normalize("""{"a":[[1]]}""", maxDepth: 3));

        var error = Assert.Throws<MetadataException>(() => Normalize("""{"a":[[1]]}""", maxDepth: 2));
        Assert.Equal("metadata.a[0]: nesting depth 3 exceeds the limit of 2", error.Message);
    }

    [Fact]
    public void Normalize_SizeAtTheLimit_IsAccepted_AndOneByteMoreIsRefused()
    {
        // {"s":"…"} is 8 bytes of framing around the string.
        var atLimit = $$"""{"s":"{{new string('x', Limits.MaxMetadataBytes - 8)}}"}""";
        Assert.Equal(Limits.MaxMetadataBytes, Normalize(atLimit)!.Length);

        var over = $$"""{"s":"{{new string('x', Limits.MaxMetadataBytes - 7)}}"}""";
        var error = Assert.Throws<MetadataException>(() => Normalize(over));
        Assert.Equal($"metadata: serialized size exceeds the limit of {Limits.MaxMetadataBytes} bytes", error.Message);
    }

    [Fact]
    public void Normalize_SizeIsMeasuredAfterCompaction()
    {
        var padded = "{ \"s\" :   \"" + new string('x', 92) + "\"   }";

        Assert.Equal(100, Normalize(padded, maxBytes: 100)!.Length);
    }

    [Theory]
    [InlineData(null, """{"a":1}""", """{"a":1}""")]
    [InlineData("""{"a":1,"b":2}""", """{"c":3}""", """{"a":1,"b":2,"c":3}""")]
    [InlineData("""{"a":1,"b":2}""", """{"a":"x"}""", """{"a":"x","b":2}""")]
    [InlineData("""{"a":1,"b":2}""", """{"a":null}""", """{"b":2}""")]
    [InlineData("""{"a":1}""", """{"zz":null}""", """{"a":1}""")]
    [InlineData("""{"a":{"b":1,"c":2}}""", """{"a":{"c":null,"d":3}}""", """{"a":{"b":1,"d":3}}""")]
    [InlineData("""{"a":"s"}""", """{"a":{"b":1,"c":null}}""", """{"a":{"b":1}}""")]
    [InlineData("""{"a":{"b":1}}""", """{"a":[1,null]}""", """{"a":[1,null]}""")]
    [InlineData("""{"a":[1,2]}""", """{"a":[3]}""", """{"a":[3]}""")]
    [InlineData(null, """{"n":{"x":null}}""", """{"n":{}}""")]
    [InlineData("""{"a":1}""", """{}""", """{"a":1}""")]
    public void Merge_AppliesRfc7386(string? existing, string patch, string expected)
    {
        var existingBytes = existing is null ? null : Normalize(existing);
        using var patchDocument = JsonDocument.Parse(patch);

        var merged = MetadataRules.Merge(existingBytes, patchDocument.RootElement);

        Assert.Equal(expected, Encoding.UTF8.GetString(merged!));
    }

    [Fact]
    public void Merge_NullPatchClearsMetadata_AndUndefinedPatchKeepsIt()
    {
        var existing = Normalize("""{"a":1}""");
        using var jsonNull = JsonDocument.Parse("null");

        Assert.Null(MetadataRules.Merge(existing, jsonNull.RootElement));
        Assert.Same(existing, MetadataRules.Merge(existing, default));
    }

    [Theory]
    [InlineData("[1]", "metadata: a merge patch must be a JSON object, got array")]
    [InlineData("""{"a":{"b":1,"b":2}}""", "metadata.a.b: duplicate key 'b'")]
    [InlineData("""{"a":{"x":1e309}}""", "metadata.a.x: number 1e309 is not a finite double")]
    [InlineData("""{"a":{"a":{"c":{"d":1}}}}""", "metadata.a.a.c: nesting depth 4 exceeds the limit of 3")]
    public void Merge_ResultBreakingARule_Throws(string patch, string expectedMessage)
    {
        var existing = Normalize("""{"a":{"a":{"b":1}}}""");
        using var patchDocument = JsonDocument.Parse(patch);

        var error = Assert.Throws<MetadataException>(() => MetadataRules.Merge(existing, patchDocument.RootElement, maxDepth: 3));

        Assert.Equal(expectedMessage, error.Message);
    }

    [Fact]
    public void Merge_ResultOverTheSizeLimit_IsRefused()
    {
        var existing = Normalize("""{"a":"0123456789"}""");
        using var empty = JsonDocument.Parse("{}");
        using var patch = JsonDocument.Parse("""{"b":"0123456789"}""");

        // {"a":"0123456789"} is 18 bytes; adding ,"b":"0123456789" makes 35.
        Assert.Equal(18, MetadataRules.Merge(existing, empty.RootElement, maxBytes: 18)!.Length);
        Assert.Equal(35, MetadataRules.Merge(existing, patch.RootElement, maxBytes: 35)!.Length);
        Assert.Throws<MetadataException>(() => MetadataRules.Merge(existing, patch.RootElement, maxBytes: 34));
    }

    private static byte[]? Normalize(string json, int maxBytes = Limits.MaxMetadataBytes, int maxDepth = Limits.MaxMetadataDepth)
    {
        using var document = JsonDocument.Parse(json);
        return MetadataRules.Normalize(document.RootElement, maxBytes, maxDepth);
    }

    // depth objects: {"a":{"a":...{"a":1}...}}.
    private static string Nested(int depth) =>
        string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
}
