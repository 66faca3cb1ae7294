using System.Globalization;
using System.Text.Json;

namespace Piramid.Terraform.Protocol.Values;

/// <summary>
/// Converts values between Terraform's two wire encodings and <see cref="TfValue"/>: MessagePack (DynamicValue.msgpack,
/// every attribute of an object present, unknown as an extension) and JSON (raw state; no unknowns).
/// </summary>
public static class ValueCodec
{
    /// <summary>Encodes a value of <paramref name="type"/> as MessagePack.</summary>
    public static byte[] ToMsgPack(TfValue value, TfType type)
    {
        var writer = new MsgPackWriter();
        Write(writer, value, type);
        return writer.ToArray();
    }

    /// <summary>Decodes MessagePack into a value shaped as <paramref name="type"/>.</summary>
    public static TfValue FromMsgPack(ReadOnlySpan<byte> data, TfType type)
    {
        if (data.IsEmpty)
        {
            return TfValue.Null;
        }

        var reader = new MsgPackReader(data);
        var value = reader.Read();
        if (!reader.AtEnd)
        {
            throw new FormatException("Bytes left after the MessagePack value.");
        }

        return Conform(value, type);
    }

    /// <summary>Decodes JSON (a raw state) into a value shaped as <paramref name="type"/>.</summary>
    public static TfValue FromJson(ReadOnlySpan<byte> json, TfType type)
    {
        if (json.IsEmpty)
        {
            return TfValue.Null;
        }

        using var document = JsonDocument.Parse(json.ToArray());
        return Conform(FromJsonElement(document.RootElement), type);
    }

    /// <summary>
    /// Shapes an untyped value as <paramref name="type"/>: an object gets every attribute (missing ones null, unknown
    /// ones dropped), a number sent as a string (cty does so for big numbers) becomes a number.
    /// </summary>
    public static TfValue Conform(TfValue value, TfType type)
    {
        if (!value.HasValue)
        {
            return value;
        }

        switch (type)
        {
            case ObjectType obj:
                {
                    var attributes = new Dictionary<string, TfValue>(StringComparer.Ordinal);
                    foreach (var (name, attributeType) in obj.Attributes)
                    {
                        attributes[name] = Conform(value[name], attributeType);
                    }

                    return TfValue.Object(attributes);
                }

            case CollectionType { IsMap: true } map:
                return TfValue.Object(value.Attributes.ToDictionary(a => a.Key, a => Conform(a.Value, map.Element), StringComparer.Ordinal));
            case CollectionType collection:
                return TfValue.List(value.Items.Select(i => Conform(i, collection.Element)));
            case PrimitiveType { Name: "number" } when value.Kind == TfKind.String:
                return TfValue.Number(double.Parse(value.AsString(), NumberStyles.Float, CultureInfo.InvariantCulture));
            default:
                return value;
        }
    }

    private static void Write(MsgPackWriter writer, TfValue value, TfType type)
    {
        if (value.IsNull)
        {
            writer.WriteNil();
            return;
        }

        if (value.IsUnknown)
        {
            writer.WriteUnknown();
            return;
        }

        switch (type)
        {
            case ObjectType obj:
                writer.WriteMapHeader(obj.Attributes.Count);
                foreach (var (name, attributeType) in obj.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
                {
                    writer.WriteString(name);
                    Write(writer, value[name], attributeType);
                }

                break;
            case CollectionType { IsMap: true } map:
                writer.WriteMapHeader(value.Attributes.Count);
                foreach (var (key, element) in value.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
                {
                    writer.WriteString(key);
                    Write(writer, element, map.Element);
                }

                break;
            case CollectionType collection:
                writer.WriteArrayHeader(value.Items.Count);
                foreach (var item in value.Items)
                {
                    Write(writer, item, collection.Element);
                }

                break;
            case PrimitiveType { Name: "string" }:
                writer.WriteString(value.AsString());
                break;
            case PrimitiveType { Name: "number" }:
                writer.WriteNumber(value.AsNumber());
                break;
            case PrimitiveType { Name: "bool" }:
                writer.WriteBool(value.AsBool());
                break;
            default:
                throw new InvalidOperationException($"Cannot encode a value of type {type}.");
        }
    }

    private static TfValue FromJsonElement(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => TfValue.Null,
        JsonValueKind.String => TfValue.String(element.GetString()!),
        JsonValueKind.Number => TfValue.Number(element.GetDouble()),
        JsonValueKind.True => TfValue.Bool(true),
        JsonValueKind.False => TfValue.Bool(false),
        JsonValueKind.Array => TfValue.List(element.EnumerateArray().Select(FromJsonElement)),
        _ => TfValue.Object(element.EnumerateObject().ToDictionary(p => p.Name, p => FromJsonElement(p.Value), StringComparer.Ordinal)),
    };
}
