using System.Text.Json;
using Piramid.Engine.Crypto;
using Piramid.Engine.Metadata;
using Piramid.Engine.Search;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Collections;

/// <summary>
/// Reads and writes a collection's settings as <c>manifest.bin</c>: JSON, encrypted like every other
/// tenant byte (the collection's name is tenant data too, so directories are named by random ids).
/// Layout in docs/design/data-directory.md.
/// </summary>
public static class CollectionManifest
{
    /// <summary>File name inside the collection directory.</summary>
    public const string FileName = "manifest.bin";

    private const int Version = 1;

    /// <summary>Writes the manifest atomically.</summary>
    public static void Write(string collectionDirectory, DataKey key, CollectionConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("version", Version);
            w.WriteString("name", config.Name);
            w.WriteNumber("dimension", config.Dimension);
            w.WriteString("metric", config.MetricName);
            w.WriteString("index_type", config.IndexType);
            w.WriteNumber("m", config.M);
            w.WriteNumber("ef_construction", config.EfConstruction);
            w.WriteNumber("ef", config.Ef);
            w.WriteString("quantization", config.Quantization);
            w.WriteString("created_at", config.CreatedAt);

            // Absent in manifests written before undeclared fields were indexed: those collections index them too.
            w.WriteBoolean("auto_index", config.AutoIndex);
            if (config.Schema is not null)
            {
                w.WritePropertyName("schema");
                config.Schema.WriteTo(w);
            }

            w.WriteEndObject();
        }

        EncryptedFile.WriteAtomic(Path.Combine(collectionDirectory, FileName), key, FileKind.Manifest, buffer.ToArray());
    }

    /// <summary>Reads the manifest; <see cref="StorageCorruptedException"/> when damaged.</summary>
    public static CollectionConfig Read(string collectionDirectory, DataKey key)
    {
        var path = Path.Combine(collectionDirectory, FileName);
        var bytes = EncryptedFile.Read(path, key);
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            var r = doc.RootElement;
            if (r.GetProperty("version").GetInt32() != Version)
            {
                throw new StorageCorruptedException($"{path}: unsupported manifest version.");
            }

            var metric = r.GetProperty("metric").GetString() switch
            {
                "cosine" => DistanceMetric.Cosine,
                "dot" => DistanceMetric.Dot,
                _ => DistanceMetric.Euclidean,
            };
            var schema = r.TryGetProperty("schema", out var s) ? MetadataSchema.Parse(s) : null;
            return new CollectionConfig(
                r.GetProperty("name").GetString()!,
                r.GetProperty("dimension").GetInt32(),
                metric,
                r.GetProperty("index_type").GetString()!,
                r.GetProperty("m").GetInt32(),
                r.GetProperty("ef_construction").GetInt32(),
                r.GetProperty("ef").GetInt32(),
                r.GetProperty("quantization").GetString()!,
                schema,
                r.GetProperty("created_at").GetDateTimeOffset(),
                !r.TryGetProperty("auto_index", out var autoIndex) || autoIndex.GetBoolean());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or MetadataException)
        {
            throw new StorageCorruptedException($"{path}: manifest is unreadable ({e.Message})");
        }
    }
}
