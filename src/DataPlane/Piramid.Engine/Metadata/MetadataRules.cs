using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Piramid.Contracts;

namespace Piramid.Engine.Metadata;

/// <summary>
/// Validates point metadata and gives its canonical form: compact UTF-8 JSON, key order kept,
/// non-ASCII kept as UTF-8 (not \u escapes, which would inflate the stored size).
/// </summary>
public static class MetadataRules
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = false,
    };

    /// <summary>
    /// Validates <paramref name="metadata"/> (an object; null or absent means none) and returns its canonical bytes.
    /// Depth counts containers: an object holding only scalars has depth 1.
    /// </summary>
    public static byte[]? Normalize(JsonElement metadata, int maxBytes = Limits.MaxMetadataBytes, int maxDepth = Limits.MaxMetadataDepth)
    {
        if (metadata.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }

        if (metadata.ValueKind != JsonValueKind.Object)
        {
            throw new MetadataException("metadata must be a JSON object.");
        }

        Check(metadata, "metadata", 1, maxDepth);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            metadata.WriteTo(writer);
        }

        return buffer.WrittenCount <= maxBytes
            ? buffer.WrittenSpan.ToArray()
            : throw new MetadataException($"metadata is {buffer.WrittenCount} bytes serialized; the limit is {maxBytes}.");
    }

    /// <summary>RFC 7386 merge patch of <paramref name="patch"/> into <paramref name="existing"/>, then normalized.</summary>
    public static byte[]? Merge(byte[]? existing, JsonElement patch, int maxBytes = Limits.MaxMetadataBytes, int maxDepth = Limits.MaxMetadataDepth)
    {
        if (patch.ValueKind != JsonValueKind.Object)
        {
            throw new MetadataException("metadata patch must be a JSON object.");
        }

        Check(patch, "metadata", 1, maxDepth);
        var target = existing is null ? new JsonObject() : JsonNode.Parse(existing)!.AsObject();
        Apply(target, patch);
        if (target.Count == 0)
        {
            return null;
        }

        using var doc = JsonDocument.Parse(target.ToJsonString());
        return Normalize(doc.RootElement, maxBytes, maxDepth);
    }

    private static void Apply(JsonObject target, JsonElement patch)
    {
        foreach (var property in patch.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                target.Remove(property.Name);
            }
            else if (property.Value.ValueKind == JsonValueKind.Object && target[property.Name] is JsonObject child)
            {
                Apply(child, property.Value);
            }
            else
            {
                target[property.Name] = JsonNode.Parse(property.Value.GetRawText());
            }
        }
    }

    private static void Check(JsonElement element, string path, int depth, int maxDepth)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (depth > maxDepth)
                {
                    throw new MetadataException($"{path}: nesting depth {depth} exceeds the limit of {maxDepth}.");
                }

                HashSet<string>? keys = null;
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name.Length == 0)
                    {
                        throw new MetadataException($"{path}: keys must not be empty.");
                    }

                    keys ??= new HashSet<string>(StringComparer.Ordinal);
                    if (!keys.Add(property.Name))
                    {
                        throw new MetadataException($"{path}.{property.Name}: the key appears more than once.");
                    }

                    Check(property.Value, $"{path}.{property.Name}", depth + 1, maxDepth);
                }

                break;
            case JsonValueKind.Array:
                if (depth > maxDepth)
                {
                    throw new MetadataException($"{path}: nesting depth {depth} exceeds the limit of {maxDepth}.");
                }

                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Check(item, $"{path}[{i++}]", depth + 1, maxDepth);
                }

                break;
            case JsonValueKind.Number:
                if (!element.TryGetDouble(out var d) || !double.IsFinite(d))
                {
                    throw new MetadataException($"{path}: numbers must be finite double-precision values.");
                }

                break;
        }
    }
}
