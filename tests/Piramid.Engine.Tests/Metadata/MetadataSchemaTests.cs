using System.Buffers;
using System.Text;
using System.Text.Json;
using Piramid.Engine.Metadata;

namespace Piramid.Engine.Tests.Metadata;

public class MetadataSchemaTests
{
    private const string Schema =
        """{"genre":"keyword","year":"integer","rating":"float","adult":"boolean","plot":"text","author.name":"keyword"}""";

    [Fact]
    public void Parse_ReadsEveryType_AndWriteToRoundTripsInOrder()
    {
        var schema = Parse(Schema)!;

        Assert.Equal(6, schema.Fields.Count);
        Assert.Equal(MetadataFieldType.Keyword, schema.Fields["genre"]);
        Assert.Equal(MetadataFieldType.Integer, schema.Fields["year"]);
        Assert.Equal(MetadataFieldType.Float, schema.Fields["rating"]);
        Assert.Equal(MetadataFieldType.Boolean, schema.Fields["adult"]);
        Assert.Equal(MetadataFieldType.Text, schema.Fields["plot"]);
        Assert.Equal(MetadataFieldType.Keyword, schema.Fields["author.name"]);
        Assert.Equal(Schema, Write(schema));
        Assert.Equal(Schema, Write(Parse(Write(schema))!));
    }

    [Fact]
    public void Parse_NullOrUndefined_MeansNoSchema()
    {
        using var jsonNull = JsonDocument.Parse("null");

        Assert.Null(MetadataSchema.Parse(default));
        Assert.Null(MetadataSchema.Parse(jsonNull.RootElement));
        Assert.Empty(Parse("{}")!.Fields);
    }

    [Theory]
    [InlineData("[]", "schema: expected an object")]
    [InlineData("""{"year":"int"}""", "schema.year: unknown type 'int'; expected one of keyword, text, integer, float, boolean")]
    [InlineData("""{"year":"Integer"}""", "schema.year: unknown type 'Integer'")]
    [InlineData("""{"year":1}""", "schema.year: unknown type 1")]
    [InlineData("""{"":"keyword"}""", "schema.: field name '' is empty or has an empty segment")]
    [InlineData("""{"a..b":"keyword"}""", "schema.a..b: field name 'a..b' is empty or has an empty segment")]
    [InlineData("""{"a.":"keyword"}""", "schema.a.: field name 'a.' is empty or has an empty segment")]
    [InlineData("""{"$and":"keyword"}""", "schema.$and: field names cannot start with '$'")]
    [InlineData("""{"a":"keyword","a":"text"}""", "schema.a: duplicate field 'a'")]
    [InlineData("""{"author.name":"keyword","author":"keyword"}""", "schema.author.name: conflicts with field 'author'")]
    public void Parse_BadSchema_ThrowsNamingTheField(string schema, string expectedMessage)
    {
        var error = Assert.Throws<MetadataException>(() => Parse(schema));

        Assert.StartsWith(expectedMessage, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"genre":"drama","year":2004,"rating":7.5,"adult":false,"plot":"p","author":{"name":"Ann"}}""")]
    [InlineData("""{"genre":["drama","war"],"plot":[],"year":2004.0,"rating":7,"adult":true}""")]
    [InlineData("""{"year":-3e2,"rating":1e300,"other":[1,{"x":null}]}""")]
    [InlineData("""{"genre":null,"year":null,"author":null}""")]
    [InlineData("""{"author":{"born":1970}}""")]
    public void Validate_ConformingOrAbsentFields_AreAccepted(string metadata)
    {
        var schema = Parse(Schema)!;
        using var document = JsonDocument.Parse(metadata);

        var error = Record.Exception(() => schema.Validate(document.RootElement));

        Assert.Null(error);
    }

    [Theory]
    [InlineData("""{"genre":5}""", "metadata.genre: expected keyword, got the number 5")]
    [InlineData("""{"genre":["a",1]}""", "metadata.genre: expected keyword, got an array")]
    [InlineData("""{"plot":{"x":"y"}}""", "metadata.plot: expected text, got an object")]
    [InlineData("""{"year":2004.5}""", "metadata.year: expected integer, got the number 2004.5")]
    [InlineData("""{"year":"2004"}""", "metadata.year: expected integer, got a string")]
    [InlineData("""{"year":[2004]}""", "metadata.year: expected integer, got an array")]
    [InlineData("""{"rating":"7.5"}""", "metadata.rating: expected float, got a string")]
    [InlineData("""{"rating":true}""", "metadata.rating: expected float, got a boolean")]
    [InlineData("""{"adult":"false"}""", "metadata.adult: expected boolean, got a string")]
    [InlineData("""{"adult":0}""", "metadata.adult: expected boolean, got the number 0")]
    [InlineData("""{"author":{"name":7}}""", "metadata.author.name: expected keyword, got the number 7")]
    [InlineData("""{"author":"Ann"}""", "metadata.author: expected an object holding schema field 'author.name', got a string")]
    public void Validate_WrongType_ThrowsNamingTheField(string metadata, string expectedMessage)
    {
        var schema = Parse(Schema)!;
        using var document = JsonDocument.Parse(metadata);

        var error = Assert.Throws<MetadataException>(() => schema.Validate(document.RootElement));

        Assert.Equal(expectedMessage, error.Message);
    }

    [Fact]
    public void Validate_NoMetadata_IsAccepted_ButANonObjectIsNot()
    {
        var schema = Parse(Schema)!;
        using var array = JsonDocument.Parse("[1]");

        Assert.Null(Record.Exception(() => schema.Validate(default)));
        var error = Assert.Throws<MetadataException>(() => schema.Validate(array.RootElement));
        Assert.Equal("metadata: expected a JSON object", error.Message);
    }

    private static MetadataSchema? Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return MetadataSchema.Parse(document.RootElement);
    }

    private static string Write(MetadataSchema schema)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            schema.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
