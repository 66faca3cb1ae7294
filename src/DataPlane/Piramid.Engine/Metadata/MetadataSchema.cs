using System.Text.Json;

namespace Piramid.Engine.Metadata;

/// <summary>
/// Optional typed fields of a collection's metadata: <c>{"genre":"keyword","year":"integer"}</c>.
/// Declared fields are type-checked on every write; undeclared fields stay free-form.
/// </summary>
public sealed class MetadataSchema
{
    private MetadataSchema(IReadOnlyDictionary<string, MetadataFieldType> fields) => Fields = fields;

    /// <summary>Field path (dotted) to type, in declaration order.</summary>
    public IReadOnlyDictionary<string, MetadataFieldType> Fields { get; }

    /// <summary>Parses a schema object; null for null or absent.</summary>
    public static MetadataSchema? Parse(JsonElement schema)
    {
        if (schema.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }

        if (schema.ValueKind != JsonValueKind.Object)
        {
            throw new MetadataException("schema must be an object mapping field names to types.");
        }

        var fields = new Dictionary<string, MetadataFieldType>(StringComparer.Ordinal);
        foreach (var property in schema.EnumerateObject())
        {
            if (property.Name.Length == 0 || property.Name.Split('.').Any(s => s.Length == 0))
            {
                throw new MetadataException($"schema: field name '{property.Name}' is empty or has an empty dotted part.");
            }

            var type = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
            fields[property.Name] = type switch
            {
                "keyword" => MetadataFieldType.Keyword,
                "text" => MetadataFieldType.Text,
                "integer" => MetadataFieldType.Integer,
                "float" => MetadataFieldType.Float,
                "boolean" => MetadataFieldType.Boolean,
                _ => throw new MetadataException(
                    $"schema.{property.Name}: type must be one of keyword, text, integer, float, boolean."),
            };
        }

        return new MetadataSchema(fields);
    }

    /// <summary>Writes the schema back as JSON.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        foreach (var (name, type) in Fields)
        {
            writer.WriteString(name, type.ToString().ToLowerInvariant());
        }

        writer.WriteEndObject();
    }

    /// <summary>Throws when a declared field is present (and not null) with the wrong type.</summary>
    public void Validate(JsonElement metadata)
    {
        foreach (var (name, type) in Fields)
        {
            var value = metadata;
            var found = true;
            foreach (var segment in name.Split('.'))
            {
                if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(segment, out value))
                {
                    found = false;
                    break;
                }
            }

            if (!found || value.ValueKind == JsonValueKind.Null || Matches(value, type))
            {
                continue;
            }

            throw new MetadataException($"metadata.{name}: must be {Describe(type)} as the collection's schema declares.");
        }
    }

    private static bool Matches(JsonElement value, MetadataFieldType type) => type switch
    {
        MetadataFieldType.Keyword or MetadataFieldType.Text => value.ValueKind == JsonValueKind.String
            || (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String)),
        MetadataFieldType.Integer => value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && Math.Floor(d) == d,
        MetadataFieldType.Float => value.ValueKind == JsonValueKind.Number,
        _ => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
    };

    private static string Describe(MetadataFieldType type) => type switch
    {
        MetadataFieldType.Keyword => "a string or an array of strings (keyword)",
        MetadataFieldType.Text => "a string or an array of strings (text)",
        MetadataFieldType.Integer => "an integer",
        MetadataFieldType.Float => "a number",
        _ => "true or false",
    };
}
