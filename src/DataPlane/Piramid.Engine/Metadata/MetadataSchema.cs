using System.Collections.ObjectModel;
using System.Text.Json;
using Piramid.Contracts;

namespace Piramid.Engine.Metadata;

/// <summary>
/// A collection's declared metadata field types, e.g. <c>{"genre":"keyword","author.name":"keyword"}</c>.
/// Field names are dotted paths into nested objects. Immutable and safe to share across threads.
/// </summary>
public sealed class MetadataSchema
{
    private readonly (string Name, string[] Segments, MetadataFieldType Type)[] _fields;

    private MetadataSchema((string Name, string[] Segments, MetadataFieldType Type)[] fields)
    {
        _fields = fields;
        var byName = new Dictionary<string, MetadataFieldType>(fields.Length, StringComparer.Ordinal);
        foreach (var field in fields)
        {
            byName.Add(field.Name, field.Type);
        }

        Fields = new ReadOnlyDictionary<string, MetadataFieldType>(byName);
    }

    /// <summary>The declared fields by dotted name.</summary>
    public IReadOnlyDictionary<string, MetadataFieldType> Fields { get; }

    /// <summary>Parses a schema object; returns null for JSON null or undefined (no schema).</summary>
    /// <exception cref="MetadataException">Not an object, more than <paramref name="maxFields"/> fields, an unknown type name, or a bad, duplicate or conflicting field name.</exception>
    public static MetadataSchema? Parse(JsonElement schema, int maxFields = Limits.MaxSchemaFields)
    {
        if (schema.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }

        if (schema.ValueKind != JsonValueKind.Object)
        {
            throw new MetadataException("schema: expected an object mapping field names to types");
        }

        var count = 0;
        foreach (var property in schema.EnumerateObject())
        {
            if (++count > maxFields)
            {
                throw new MetadataException($"schema: more than {maxFields} fields; a schema declares at most {maxFields}");
            }
        }

        var fields = new List<(string Name, string[] Segments, MetadataFieldType Type)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in schema.EnumerateObject())
        {
            var name = property.Name;
            var path = $"schema.{name}";
            var segments = name.Split('.');
            if (name.Length == 0 || Array.Exists(segments, static s => s.Length == 0))
            {
                throw new MetadataException($"{path}: field name '{name}' is empty or has an empty segment");
            }

            if (name[0] == '$')
            {
                throw new MetadataException($"{path}: field names cannot start with '$'");
            }

            foreach (var segment in segments)
            {
                if (MetadataRules.KeyProblem(segment) is { } problem)
                {
                    throw new MetadataException($"{path}: segment '{segment}' {problem}");
                }
            }

            if (!names.Add(name))
            {
                throw new MetadataException($"{path}: duplicate field '{name}'");
            }

            if (property.Value.ValueKind != JsonValueKind.String || !TryParseType(property.Value.GetString()!, out var type))
            {
                var got = property.Value.ValueKind == JsonValueKind.String ? $"'{property.Value.GetString()}'" : property.Value.GetRawText();
                throw new MetadataException($"{path}: unknown type {got}; expected one of keyword, text, integer, float, boolean");
            }

            fields.Add((name, segments, type));
        }

        // "a" and "a.b" cannot both be typed: "a" would have to be a scalar and an object at once.
        foreach (var field in fields)
        {
            for (var length = field.Name.IndexOf('.', StringComparison.Ordinal); length > 0; length = field.Name.IndexOf('.', length + 1))
            {
                var prefix = field.Name[..length];
                if (names.Contains(prefix))
                {
                    throw new MetadataException($"schema.{field.Name}: conflicts with field '{prefix}', which is not an object");
                }
            }
        }

        return new MetadataSchema([.. fields]);
    }

    /// <summary>Writes the schema back in the shape <see cref="Parse"/> reads, fields in declaration order.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        foreach (var field in _fields)
        {
            writer.WriteString(field.Name, TypeName(field.Type));
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// Checks the declared fields of <paramref name="metadata"/> (an object, or null/undefined for none).
    /// Absent and null fields are accepted.
    /// </summary>
    /// <exception cref="MetadataException">A present value has the wrong type; the message names the field.</exception>
    public void Validate(JsonElement metadata)
    {
        if (metadata.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return;
        }

        if (metadata.ValueKind != JsonValueKind.Object)
        {
            throw new MetadataException("metadata: expected a JSON object");
        }

        foreach (var (name, segments, type) in _fields)
        {
            var value = metadata;
            var found = true;
            for (var i = 0; i < segments.Length; i++)
            {
                if (value.ValueKind != JsonValueKind.Object)
                {
                    var parent = string.Join('.', segments, 0, i);
                    throw new MetadataException(
                        $"metadata.{parent}: expected an object holding schema field '{name}', got {Describe(value)}");
                }

                if (!value.TryGetProperty(segments[i], out value) || value.ValueKind == JsonValueKind.Null)
                {
                    found = false;
                    break;
                }
            }

            if (found && !IsValid(value, type))
            {
                throw new MetadataException($"metadata.{name}: expected {TypeName(type)}, got {Describe(value)}");
            }
        }
    }

    private static bool IsValid(JsonElement value, MetadataFieldType type) => type switch
    {
        MetadataFieldType.Keyword or MetadataFieldType.Text => value.ValueKind == JsonValueKind.String || IsStringArray(value),
        MetadataFieldType.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        MetadataFieldType.Float => value.ValueKind == JsonValueKind.Number,
        // "No fractional part" is numeric: 3.0 and 3e2 are integers, 3.5 is not.
        _ => value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number)
            && double.IsFinite(number) && Math.Truncate(number) == number,
    };

    private static bool IsStringArray(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryParseType(string name, out MetadataFieldType type)
    {
        switch (name)
        {
            case "keyword": type = MetadataFieldType.Keyword; return true;
            case "text": type = MetadataFieldType.Text; return true;
            case "integer": type = MetadataFieldType.Integer; return true;
            case "float": type = MetadataFieldType.Float; return true;
            case "boolean": type = MetadataFieldType.Boolean; return true;
            default: type = default; return false;
        }
    }

    private static string TypeName(MetadataFieldType type) => type switch
    {
        MetadataFieldType.Keyword => "keyword",
        MetadataFieldType.Text => "text",
        MetadataFieldType.Integer => "integer",
        MetadataFieldType.Float => "float",
        _ => "boolean",
    };

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
