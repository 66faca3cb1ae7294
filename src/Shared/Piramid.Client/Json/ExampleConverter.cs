using System.Text.Json;
using System.Text.Json.Serialization;
using Piramid.Client.Models;

namespace Piramid.Client.Json;

/// <summary>A recommend example is a JSON string (point id) or a JSON array of numbers (vector).</summary>
internal sealed class ExampleConverter : JsonConverter<Example>
{
    public override Example Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return Example.FromId(reader.GetString()!);
        }

        var vector = new List<float>();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("An example is a point id or a vector.");
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            vector.Add(reader.GetSingle());
        }

        return Example.FromVector([.. vector]);
    }

    public override void Write(Utf8JsonWriter writer, Example value, JsonSerializerOptions options)
    {
        if (value.Id is not null)
        {
            writer.WriteStringValue(value.Id);
            return;
        }

        writer.WriteStartArray();
        foreach (var x in value.Vector!)
        {
            writer.WriteNumberValue(x);
        }

        writer.WriteEndArray();
    }
}
