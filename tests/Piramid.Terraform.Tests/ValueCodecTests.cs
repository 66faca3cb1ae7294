using Piramid.Terraform.Protocol.Schema;
using Piramid.Terraform.Protocol.Values;

namespace Piramid.Terraform.Tests;

/// <summary>Terraform's value encodings: msgpack with unknown and null at any depth, JSON raw state, type spellings.</summary>
public sealed class ValueCodecTests
{
    private static readonly TfType Index = TfType.Object(new Dictionary<string, TfType> { ["type"] = TfType.String, ["ef"] = TfType.Number });

    private static readonly TfType Nested = TfType.Object(new Dictionary<string, TfType>
    {
        ["name"] = TfType.String,
        ["dimension"] = TfType.Number,
        ["force"] = TfType.Bool,
        ["index"] = Index,
        ["collections"] = TfType.Set(TfType.String),
        ["tags"] = TfType.List(TfType.String),
        ["schema"] = TfType.Map(TfType.String),
        ["indexes"] = TfType.List(Index),
    });

    [Fact]
    public void Unknown_IsExtensionZero_AndNullIsNil()
    {
        Assert.Equal(new byte[] { 0xd4, 0x00, 0x00 }, ValueCodec.ToMsgPack(TfValue.Unknown, TfType.String));
        Assert.Equal(new byte[] { 0xc0 }, ValueCodec.ToMsgPack(TfValue.Null, TfType.String));
        Assert.True(ValueCodec.FromMsgPack([0xd4, 0x00, 0x00], TfType.String).IsUnknown);
        Assert.True(ValueCodec.FromMsgPack([0xc0], TfType.String).IsNull);
    }

    [Fact]
    public void RefinedUnknown_ExtensionTwelve_DecodesAsUnknown()
    {
        // Terraform 1.6+ refines unknowns ("not null", a string prefix): ext 12 with a msgpack map inside.
        byte[] refined = [0xc7, 0x03, 0x0c, 0x81, 0x01, 0xc2];
        var value = ValueCodec.FromMsgPack([0x81, 0xa4, (byte)'n', (byte)'a', (byte)'m', (byte)'e', .. refined], TfType.Object(new Dictionary<string, TfType> { ["name"] = TfType.String }));
        Assert.True(value["name"].IsUnknown);
    }

    [Fact]
    public void NestedValues_WithUnknownAndNullInside_RoundTrip()
    {
        var value = TfValue.Object(new Dictionary<string, TfValue>
        {
            ["name"] = TfValue.String("docs ✓"),
            ["dimension"] = TfValue.Number(384),
            ["force"] = TfValue.Bool(false),
            ["index"] = TfValue.Object(new Dictionary<string, TfValue> { ["type"] = TfValue.String("hnsw"), ["ef"] = TfValue.Unknown }),
            ["collections"] = TfValue.List([TfValue.String("a"), TfValue.Unknown]),
            ["tags"] = TfValue.Null,
            ["schema"] = TfValue.Object(new Dictionary<string, TfValue> { ["year"] = TfValue.String("integer"), ["x"] = TfValue.Null }),
            ["indexes"] = TfValue.List([TfValue.Object(new Dictionary<string, TfValue> { ["type"] = TfValue.Null, ["ef"] = TfValue.Number(1.5) })]),
        });

        var decoded = ValueCodec.FromMsgPack(ValueCodec.ToMsgPack(value, Nested), Nested);

        Assert.Equal(value, decoded);
        Assert.True(decoded["index"]["ef"].IsUnknown);
        Assert.True(decoded["collections"].Items[1].IsUnknown);
        Assert.True(decoded["schema"]["x"].IsNull);
        Assert.Equal(1.5, decoded["indexes"].Items[0]["ef"].AsNumber());
    }

    [Fact]
    public void Object_EncodesEveryAttribute_MissingOnesAsNil()
    {
        var type = TfType.Object(new Dictionary<string, TfType> { ["a"] = TfType.String, ["b"] = TfType.Number });
        var bytes = ValueCodec.ToMsgPack(TfValue.EmptyObject.With("a", TfValue.String("x")), type);

        // fixmap 2: "a" "x", "b" nil (Terraform rejects an object with an attribute missing).
        Assert.Equal(new byte[] { 0x82, 0xa1, (byte)'a', 0xa1, (byte)'x', 0xa1, (byte)'b', 0xc0 }, bytes);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(127)]
    [InlineData(-32)]
    [InlineData(-33)]
    [InlineData(65536)]
    [InlineData(21474836480)]
    [InlineData(-1e15)]
    [InlineData(0.25)]
    public void Numbers_RoundTrip(double number) =>
        Assert.Equal(number, ValueCodec.FromMsgPack(ValueCodec.ToMsgPack(TfValue.Number(number), TfType.Number), TfType.Number).AsNumber());

    [Fact]
    public void NumberSentAsString_IsANumber()
    {
        // cty writes numbers that do not fit an int64 or a float64 exactly as strings.
        var value = ValueCodec.FromMsgPack([0xa3, (byte)'1', (byte)'.', (byte)'5'], TfType.Number);
        Assert.Equal(1.5, value.AsNumber());
    }

    [Fact]
    public void LongStringsAndCollections_UseTheWiderHeaders()
    {
        var type = TfType.List(TfType.String);
        var value = TfValue.List(Enumerable.Range(0, 70_000).Select(i => TfValue.String(new string('x', i % 300))));
        Assert.Equal(value, ValueCodec.FromMsgPack(ValueCodec.ToMsgPack(value, type), type));
    }

    [Fact]
    public void TruncatedMsgPack_IsAFormatError_NamingTheOffset()
    {
        var error = Assert.Throws<FormatException>(() => ValueCodec.FromMsgPack([0xa5, (byte)'a'], TfType.String));
        Assert.Contains("offset", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonRawState_FillsMissingAttributesWithNull()
    {
        var value = ValueCodec.FromJson("""{"name":"docs","index":{"type":"hnsw"},"collections":["a","b"],"schema":{"y":"integer"}}"""u8, Nested);

        Assert.Equal("docs", value.GetString("name"));
        Assert.True(value["dimension"].IsNull);
        Assert.True(value["index"]["ef"].IsNull);
        Assert.Equal(2, value["collections"].Items.Count);
        Assert.Equal("integer", value["schema"].GetString("y"));
        Assert.Equal(value, ValueCodec.FromMsgPack(ValueCodec.ToMsgPack(value, Nested), Nested));
    }

    [Fact]
    public void Types_AreSpelledAsCtyJson()
    {
        Assert.Equal("\"string\"", TfType.String.ToString());
        Assert.Equal("[\"set\",\"string\"]", TfType.Set(TfType.String).ToString());
        Assert.Equal("[\"map\",\"number\"]", TfType.Map(TfType.Number).ToString());
        Assert.Equal("[\"object\",{\"ef\":\"number\",\"type\":\"string\"}]", Index.ToString());
    }

    [Fact]
    public void SensitiveAttribute_IsMarkedInTheSchema_AndItsValueTravelsUnchanged()
    {
        var schema = new TfSchema(
        [
            new TfAttribute("name", TfType.String, TfMode.Required, "n"),
            new TfAttribute("key", TfType.String, TfMode.Computed, "k") { Sensitive = true },
        ], "d");
        var wire = schema.ToWire();
        Assert.True(wire.Block.Attributes.Single(a => a.Name == "key").Sensitive);
        Assert.False(wire.Block.Attributes.Single(a => a.Name == "name").Sensitive);

        // Terraform hides sensitive values itself; the provider must hand back exactly the secret it got.
        var value = TfValue.EmptyObject.With("name", TfValue.String("k")).With("key", TfValue.String("pk_0123456789abcdef_secret"));
        Assert.Equal(value, ValueCodec.FromMsgPack(ValueCodec.ToMsgPack(value, schema.ObjectType), schema.ObjectType));
    }

    [Fact]
    public void NestedAttribute_IsSentAsANestedTypeWithoutAType()
    {
        var schema = new TfSchema([new TfAttribute("index", [new TfAttribute("ef", TfType.Number, TfMode.OptionalComputed, "e")], TfMode.Optional, "i")], "d");
        var wire = schema.ToWire().Block.Attributes.Single();
        Assert.True(wire.Type.IsEmpty);
        Assert.Equal(Protocol.Wire.Schema.Types.Object.Types.NestingMode.Single, wire.NestedType.Nesting);
        Assert.True(wire.NestedType.Attributes.Single().Computed);
        Assert.True(wire.NestedType.Attributes.Single().Optional);
    }
}
