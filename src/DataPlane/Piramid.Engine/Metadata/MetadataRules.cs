using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Piramid.Contracts;

namespace Piramid.Engine.Metadata;

/// <summary>Validation, canonical serialization and merge patching of point metadata.</summary>
public static class MetadataRules
{
    // Relaxed escaping keeps non-ASCII text as raw UTF-8: smaller, and the stored bytes are never embedded in HTML.
    internal static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>
    /// Validates <paramref name="metadata"/> and returns its compact canonical UTF-8 serialization (key order kept),
    /// or null when it is JSON null or undefined (no metadata). Depth counts containers: {"a":1} has depth 1.
    /// </summary>
    /// <exception cref="MetadataException">Not an object, too deep, too large, an empty or duplicate key, or a number that is not a finite double.</exception>
    public static byte[]? Normalize(JsonElement metadata, int maxBytes = Limits.MaxMetadataBytes, int maxDepth = Limits.MaxMetadataDepth)
    {
        if (metadata.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }

        if (metadata.ValueKind != JsonValueKind.Object)
        {
            throw new MetadataException($"metadata: expected a JSON object, got {metadata.ValueKind.ToString().ToLowerInvariant()}");
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            try
            {
                new Normalizer(writer, maxBytes, maxDepth).Write(metadata, "metadata", 0);
            }
            catch (InvalidOperationException ex)
            {
                // A key with an unpaired surrogate escape cannot be decoded; values report their own path.
                throw new MetadataException("metadata: a key is not valid UTF-16 (unpaired surrogate escape)", ex);
            }
        }

        if (buffer.WrittenCount > maxBytes)
        {
            throw new MetadataException($"metadata: serialized size {buffer.WrittenCount} bytes exceeds the limit of {maxBytes} bytes");
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Why <paramref name="key"/> cannot be a metadata key, or null when it can. A key must be addressable by a filter
    /// path (docs/design/filter-language.md): paths split on '.', and a leading '$' names an operator.
    /// </summary>
    public static string? KeyProblem(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0)
        {
            return "is empty";
        }

        if (key.Contains('.', StringComparison.Ordinal))
        {
            return "contains '.'; a filter path splits on '.', so nest an object instead ({\"a\":{\"b\":1}} is addressed as \"a.b\")";
        }

        if (key[0] == '$')
        {
            return "starts with '$', which a filter reads as an operator";
        }

        if (key.AsSpan().ContainsAnyInRange('\0', '\u001f') || key.Contains('\u007f', StringComparison.Ordinal))
        {
            return "contains a control character";
        }

        return null;
    }

    /// <summary>
    /// Applies <paramref name="patch"/> to <paramref name="existing"/> as an RFC 7386 JSON merge patch and normalizes the
    /// result. A null member deletes the key; a JSON null patch clears all metadata (returns null) as in the RFC;
    /// an undefined patch leaves <paramref name="existing"/> unchanged.
    /// </summary>
    /// <exception cref="MetadataException">The patch is not an object or the merged metadata breaks a rule of <see cref="Normalize"/>.</exception>
    public static byte[]? Merge(byte[]? existing, JsonElement patch, int maxBytes = Limits.MaxMetadataBytes, int maxDepth = Limits.MaxMetadataDepth)
    {
        switch (patch.ValueKind)
        {
            case JsonValueKind.Undefined:
                return existing;
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Object:
                break;
            default:
                throw new MetadataException($"metadata: a merge patch must be a JSON object, got {patch.ValueKind.ToString().ToLowerInvariant()}");
        }

        using var target = existing is null ? null : JsonDocument.Parse(existing);
        var merged = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(merged, WriterOptions))
        {
            MergeObject(writer, target?.RootElement ?? default, patch, "metadata");
        }

        // The merge can only be as deep as the deeper of its inputs, both already parsed, so this parse cannot
        // fail on depth unless the caller parsed the patch with a raised limit; that is reported as too deep.
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(merged.WrittenMemory, new JsonDocumentOptions { MaxDepth = Math.Max(64, maxDepth + 1) });
        }
        catch (JsonException ex)
        {
            throw new MetadataException($"metadata: nesting depth exceeds the limit of {maxDepth}", ex);
        }

        using (document)
        {
            return Normalize(document.RootElement, maxBytes, maxDepth);
        }
    }

    // RFC 7386 MergePatch for an object patch: keys of the target keep their order, new keys follow in patch order.
    private static void MergeObject(Utf8JsonWriter writer, JsonElement target, JsonElement patch, string path)
    {
        var patchMembers = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in patch.EnumerateObject())
        {
            if (!patchMembers.TryAdd(property.Name, property.Value))
            {
                throw new MetadataException($"{path}.{property.Name}: duplicate key '{property.Name}'");
            }
        }

        writer.WriteStartObject();
        var targetNames = new HashSet<string>(StringComparer.Ordinal);
        if (target.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in target.EnumerateObject())
            {
                targetNames.Add(property.Name);
                if (!patchMembers.TryGetValue(property.Name, out var change))
                {
                    property.WriteTo(writer);
                }
                else if (change.ValueKind != JsonValueKind.Null)
                {
                    writer.WritePropertyName(property.Name);
                    WriteMerged(writer, property.Value, change, $"{path}.{property.Name}");
                }
            }
        }

        foreach (var property in patch.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Null && !targetNames.Contains(property.Name))
            {
                writer.WritePropertyName(property.Name);
                WriteMerged(writer, default, property.Value, $"{path}.{property.Name}");
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteMerged(Utf8JsonWriter writer, JsonElement target, JsonElement patch, string path)
    {
        if (patch.ValueKind == JsonValueKind.Object)
        {
            MergeObject(writer, target, patch, path);
        }
        else
        {
            patch.WriteTo(writer);
        }
    }

    /// <summary>Walks the metadata once, checking rules while writing the canonical form.</summary>
    private readonly struct Normalizer(Utf8JsonWriter writer, int maxBytes, int maxDepth)
    {
        // depth is the number of containers enclosing the value; entering a container makes it depth + 1.
        public void Write(JsonElement value, string path, int depth)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    CheckDepth(path, depth + 1);
                    writer.WriteStartObject();
                    var seen = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var property in value.EnumerateObject())
                    {
                        var name = property.Name;
                        if (name.Length == 0)
                        {
                            throw new MetadataException($"{path}: empty key");
                        }

                        var childPath = $"{path}.{name}";
                        if (KeyProblem(name) is { } problem)
                        {
                            throw new MetadataException($"{childPath}: key '{name}' {problem}");
                        }

                        if (!seen.Add(name))
                        {
                            throw new MetadataException($"{childPath}: duplicate key '{name}'");
                        }

                        writer.WritePropertyName(name);
                        Write(property.Value, childPath, depth + 1);
                    }

                    writer.WriteEndObject();
                    break;
                case JsonValueKind.Array:
                    CheckDepth(path, depth + 1);
                    writer.WriteStartArray();
                    var index = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        Write(item, $"{path}[{index.ToString(CultureInfo.InvariantCulture)}]", depth + 1);
                        index++;
                    }

                    writer.WriteEndArray();
                    break;
                case JsonValueKind.String:
                    writer.WriteStringValue(ReadString(value, path));
                    break;
                case JsonValueKind.Number:
                    // System.Text.Json reads 1e309 as infinity; metadata numbers must be finite doubles.
                    if (!value.TryGetDouble(out var number) || !double.IsFinite(number))
                    {
                        throw new MetadataException($"{path}: number {value.GetRawText()} is not a finite double");
                    }

                    // Written as the original token so large integers keep every digit.
                    value.WriteTo(writer);
                    break;
                default:
                    value.WriteTo(writer);
                    break;
            }

            // Stop early on huge input instead of serializing all of it first.
            if (writer.BytesCommitted + writer.BytesPending > maxBytes)
            {
                throw new MetadataException($"metadata: serialized size exceeds the limit of {maxBytes} bytes");
            }
        }

        private void CheckDepth(string path, int depth)
        {
            if (depth > maxDepth)
            {
                throw new MetadataException($"{path}: nesting depth {depth} exceeds the limit of {maxDepth}");
            }
        }

        private static string ReadString(JsonElement value, string path)
        {
            try
            {
                return value.GetString()!;
            }
            catch (InvalidOperationException ex)
            {
                throw new MetadataException($"{path}: string is not valid UTF-16 (unpaired surrogate escape)", ex);
            }
        }
    }
}
