using System.Text;
using System.Text.Json;

namespace Piramid.Terraform.Protocol.Values;

/// <summary>A cty type: what Terraform calls an attribute's type. Its JSON spelling is what the schema sends.</summary>
public abstract class TfType
{
    /// <summary>The <c>string</c> type.</summary>
    public static readonly TfType String = new PrimitiveType("string");

    /// <summary>The <c>number</c> type.</summary>
    public static readonly TfType Number = new PrimitiveType("number");

    /// <summary>The <c>bool</c> type.</summary>
    public static readonly TfType Bool = new PrimitiveType("bool");

    /// <summary>A list of <paramref name="element"/>.</summary>
    public static TfType List(TfType element) => new CollectionType("list", element);

    /// <summary>A set of <paramref name="element"/>.</summary>
    public static TfType Set(TfType element) => new CollectionType("set", element);

    /// <summary>A map of <paramref name="element"/> by string key.</summary>
    public static TfType Map(TfType element) => new CollectionType("map", element);

    /// <summary>An object with these attributes.</summary>
    public static TfType Object(IReadOnlyDictionary<string, TfType> attributes) => new ObjectType(attributes);

    /// <summary>Writes the type in cty's JSON spelling, e.g. <c>"string"</c> or <c>["list","string"]</c>.</summary>
    public abstract void WriteJson(Utf8JsonWriter writer);

    /// <summary>The JSON spelling as UTF-8 bytes (the schema's <c>type</c> field).</summary>
    public byte[] ToJsonBytes()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            WriteJson(writer);
        }

        return stream.ToArray();
    }

    /// <inheritdoc />
    public override string ToString() => Encoding.UTF8.GetString(ToJsonBytes());
}

/// <summary>string, number or bool.</summary>
public sealed class PrimitiveType(string name) : TfType
{
    /// <summary>cty's name of the type.</summary>
    public string Name { get; } = name;

    /// <inheritdoc />
    public override void WriteJson(Utf8JsonWriter writer) => writer.WriteStringValue(Name);
}

/// <summary>list, set or map of one element type.</summary>
public sealed class CollectionType(string kind, TfType element) : TfType
{
    /// <summary><c>list</c>, <c>set</c> or <c>map</c>.</summary>
    public string Kind { get; } = kind;

    /// <summary>The element type.</summary>
    public TfType Element { get; } = element;

    /// <summary>True for a map (string keys).</summary>
    public bool IsMap => Kind == "map";

    /// <inheritdoc />
    public override void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartArray();
        writer.WriteStringValue(Kind);
        Element.WriteJson(writer);
        writer.WriteEndArray();
    }
}

/// <summary>An object type: a fixed set of named attributes.</summary>
public sealed class ObjectType(IReadOnlyDictionary<string, TfType> attributes) : TfType
{
    /// <summary>Attribute types by name.</summary>
    public IReadOnlyDictionary<string, TfType> Attributes { get; } = attributes;

    /// <inheritdoc />
    public override void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartArray();
        writer.WriteStringValue("object");
        writer.WriteStartObject();
        foreach (var (name, type) in Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            writer.WritePropertyName(name);
            type.WriteJson(writer);
        }

        writer.WriteEndObject();
        writer.WriteEndArray();
    }
}
