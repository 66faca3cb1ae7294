using System.Buffers.Binary;
using System.Text.Json;
using Piramid.DataPlane.Api;
using Piramid.Engine;
using Piramid.Engine.Commands;

namespace Piramid.DataPlane.Exports;

/// <summary>
/// Reads one import line, <c>{"id","vector","metadata"?}</c>, into a point. The vector may be a base64 string of
/// little-endian float32 or an array of numbers, decided per line, so files of either encoding (or a mix) import.
/// The line is first held to the API's JSON rules (<see cref="JsonRules"/>). Messages name the field; the caller
/// adds the line number.
/// </summary>
internal static class ImportLineParser
{
    /// <summary>Parses <paramref name="line"/>; throws <see cref="EngineException"/> (invalid) naming the field.</summary>
    public static NewPoint Parse(ReadOnlySpan<byte> line)
    {
        JsonRules.Check(line);
        var reader = new Utf8JsonReader(line, JsonRules.ReaderOptions);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw EngineException.Invalid("The line must be a JSON object {\"id\",\"vector\",\"metadata\"}.");
        }

        string? id = null;
        float[]? vector = null;
        JsonElement metadata = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "id":
                    id = reader.TokenType == JsonTokenType.String
                        ? reader.GetString()
                        : throw EngineException.Invalid("'id' must be a string.");
                    break;
                case "vector":
                    vector = ReadVector(ref reader);
                    break;
                case "metadata":
                    metadata = reader.TokenType switch
                    {
                        JsonTokenType.Null => default,
                        JsonTokenType.StartObject => JsonElement.ParseValue(ref reader),
                        _ => throw EngineException.Invalid("'metadata' must be an object or null."),
                    };
                    break;
                default:
                    throw EngineException.Invalid($"Unknown field '{name}'; a line holds 'id', 'vector' and 'metadata'.");
            }
        }

        return new NewPoint(id, vector ?? throw EngineException.Invalid("'vector' is required."), metadata);
    }

    private static float[] ReadVector(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            if (!reader.TryGetBytesFromBase64(out var bytes) || bytes.Length % sizeof(float) != 0)
            {
                throw EngineException.Invalid("'vector' as a string must be base64 of little-endian float32 values (a multiple of 4 bytes).");
            }

            var values = new float[bytes.Length / sizeof(float)];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
            }

            return values;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw EngineException.Invalid("'vector' must be an array of numbers or a base64 string of little-endian float32.");
        }

        var list = new List<float>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetSingle(out var value) || !float.IsFinite(value))
            {
                throw EngineException.Invalid($"'vector[{list.Count}]' must be a finite float32 number.");
            }

            list.Add(value);
        }

        return [.. list];
    }
}
