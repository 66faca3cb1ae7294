using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Piramid.Contracts.Json;

namespace Piramid.OpenApi;

/// <summary>
/// The <c>components/schemas</c> of the document: one schema per Contracts type a route reads or writes, and per
/// Contracts type those reach, exported by System.Text.Json's <see cref="JsonSchemaExporter"/> with the wire
/// options (so names are snake_case and nullability is the C# one). A Contracts type inside another becomes a
/// <c>$ref</c>; descriptions come from the XML docs, <c>enum</c> from <see cref="AllowedValuesAttribute"/>, and
/// numeric formats from the CLR type.
/// </summary>
internal sealed class SchemaComponents
{
    private const string RefPrefix = "#/components/schemas/";

    private readonly JsonSerializerOptions _options;
    private readonly XmlDocs _docs;
    private readonly SortedDictionary<string, Type> _types = new(StringComparer.Ordinal);
    private readonly Queue<Type> _pending = new();

    public SchemaComponents(XmlDocs docs)
    {
        _docs = docs;
        // The wire spelling, read as strictly as the contract means it: a number is a number (the web default
        // that also reads "5" is leniency, not contract), `required` and non-null constructor parameters are required.
        _options = new JsonSerializerOptions(WireJson.Options)
        {
            NumberHandling = JsonNumberHandling.Strict,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        _options.MakeReadOnly();
    }

    /// <summary>A reference to the schema of <paramref name="type"/>, which is added to the components.</summary>
    public JsonObject Ref(Type type)
    {
        var name = type.Name;
        if (_types.TryGetValue(name, out var known))
        {
            if (known != type)
            {
                throw new InvalidOperationException($"Two contract types are named {name}: {known.FullName} and {type.FullName}.");
            }
        }
        else
        {
            _types.Add(name, type);
            _pending.Enqueue(type);
        }

        return new JsonObject { ["$ref"] = RefPrefix + name };
    }

    /// <summary>The schema of a simple value (a query parameter's type), inline.</summary>
    public JsonNode Inline(Type type) => _options.GetJsonSchemaAsNode(type, Exporter());

    /// <summary>Every referenced schema by name, with the ones they reach.</summary>
    public JsonObject Build()
    {
        var schemas = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        while (_pending.TryDequeue(out var type))
        {
            var schema = _options.GetJsonSchemaAsNode(type, Exporter()).AsObject();
            if (_docs.Summary(type) is { } summary)
            {
                schema["description"] = summary;
            }

            schemas.Add(type.Name, schema);
        }

        return new JsonObject(schemas.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value)));
    }

    private JsonSchemaExporterOptions Exporter() => new()
    {
        TreatNullObliviousAsNonNullable = true,
        TransformSchemaNode = Transform,
    };

    private JsonObject Transform(JsonSchemaExporterContext context, JsonNode node)
    {
        var type = context.TypeInfo.Type;
        var nullable = AllowsNull(node);
        if (!context.Path.IsEmpty && IsContract(type))
        {
            // A nested contract type is its own component, referenced (and null where the member may be null).
            var reference = Ref(type);
            node = nullable ? new JsonObject { ["anyOf"] = new JsonArray(reference, new JsonObject { ["type"] = "null" }) } : reference;
        }
        else if (node is not JsonObject)
        {
            // `true` (any JSON: a JsonElement member such as a filter or metadata) becomes {} so it can carry a description.
            node = new JsonObject();
        }

        var schema = node.AsObject();
        if (Format(Nullable.GetUnderlyingType(type) ?? type) is { } format && !schema.ContainsKey("format"))
        {
            schema["format"] = format;
        }

        if (context.PropertyInfo?.AttributeProvider is PropertyInfo property)
        {
            if (property.GetCustomAttribute<AllowedValuesAttribute>() is { } allowed)
            {
                var values = new JsonArray([.. allowed.Values.Select(v => JsonValue.Create(v?.ToString()))]);
                if (nullable)
                {
                    values.Add(null);
                }

                schema["enum"] = values;
            }

            if (_docs.Summary(property) is { } summary)
            {
                schema["description"] = summary;
            }
        }

        return schema;
    }

    private static bool IsContract(Type type) =>
        type.Namespace?.StartsWith("Piramid.Contracts", StringComparison.Ordinal) == true && (type.IsClass || type.IsEnum);

    private static bool AllowsNull(JsonNode node) =>
        node is JsonObject o && o["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "null");

    private static string? Format(Type type) =>
        type == typeof(int) || type == typeof(short) ? "int32"
        : type == typeof(long) ? "int64"
        : type == typeof(float) ? "float"
        : type == typeof(double) ? "double"
        : type == typeof(Guid) ? "uuid"
        : null;
}
