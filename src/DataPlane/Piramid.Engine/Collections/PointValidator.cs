using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Piramid.Contracts;
using Piramid.Engine.Commands;
using Piramid.Engine.Metadata;

namespace Piramid.Engine.Collections;

/// <summary>
/// Checks client input at the edge of the engine and turns it into <see cref="PreparedPoint"/>s.
/// Every message names the offending field by its JSON path so the caller knows what to change.
/// </summary>
public static class PointValidator
{
    /// <summary>Validates an upsert batch against the collection's settings.</summary>
    public static List<PreparedPoint> PrepareUpsert(IReadOnlyList<NewPoint?>? points, CollectionConfig config, int maxMetadataBytes, float maxVectorValue)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (points is null || points.Count == 0)
        {
            throw EngineException.Invalid("'points' must hold at least one point.");
        }

        if (points.Count > Limits.MaxPointsPerUpsert)
        {
            throw EngineException.Invalid($"'points' holds {points.Count} points; at most {Limits.MaxPointsPerUpsert} are allowed per request.");
        }

        var prepared = new List<PreparedPoint>(points.Count);
        var seen = new HashSet<string>(points.Count, StringComparer.Ordinal);
        for (var i = 0; i < points.Count; i++)
        {
            var path = $"points[{i}]";
            var point = points[i] ?? throw EngineException.Invalid($"'{path}' must be an object.");
            var id = CheckId(point.Id, path + ".id");
            if (!seen.Add(id))
            {
                throw EngineException.Invalid($"'{path}.id': id '{id}' appears more than once in this batch.");
            }

            var vector = point.VectorBytes is { } bytes
                ? CheckVector(DecodeVector(bytes, point.Vector is not null, config.Dimension, path + ".vector_b64"), config.Dimension, path + ".vector_b64", maxVectorValue)
                : CheckVector(point.Vector, config.Dimension, path + ".vector", maxVectorValue);
            var metadata = PrepareMetadata(point.Metadata, config, maxMetadataBytes, path + ".metadata");
            prepared.Add(new PreparedPoint(id, vector, metadata));
        }

        return prepared;
    }

    /// <summary>Checks a point id: 1 to 64 bytes of UTF-8.</summary>
    public static string CheckId(string? id, string path)
    {
        if (string.IsNullOrEmpty(id))
        {
            throw EngineException.Invalid($"'{path}' is required and must be a non-empty string.");
        }

        if (id.Length > Limits.MaxPointIdBytes || Encoding.UTF8.GetByteCount(id) > Limits.MaxPointIdBytes)
        {
            throw EngineException.Invalid($"'{path}' is longer than {Limits.MaxPointIdBytes} bytes of UTF-8.");
        }

        // Control characters (NUL above all) break logs, file tools and clients that use C strings; an unpaired
        // surrogate has no UTF-8 form, so the id could not be stored or compared as written.
        if (id.AsSpan().ContainsAnyInRange('\0', '\u001f') || id.Contains('\u007f', StringComparison.Ordinal))
        {
            throw EngineException.Invalid($"'{path}' contains a control character (U+0000 to U+001F or U+007F); ids are printable text.");
        }

        if (!IsWellFormedUtf16(id))
        {
            throw EngineException.Invalid($"'{path}' contains an unpaired surrogate; ids are valid Unicode text.");
        }

        return id;
    }

    private static bool IsWellFormedUtf16(string text) =>
        System.Text.Unicode.Utf8.FromUtf16(text, stackalloc byte[Limits.MaxPointIdBytes * 3], out _, out _, replaceInvalidSequences: false) == System.Buffers.OperationStatus.Done;

    /// <summary>Checks a list of ids for get and delete.</summary>
    public static IReadOnlyList<string> CheckIds(IReadOnlyList<string>? ids, string path)
    {
        if (ids is null || ids.Count == 0)
        {
            throw EngineException.Invalid($"'{path}' must hold at least one id.");
        }

        if (ids.Count > Limits.MaxIdsPerRequest)
        {
            throw EngineException.Invalid($"'{path}' holds {ids.Count} ids; at most {Limits.MaxIdsPerRequest} are allowed per request.");
        }

        for (var i = 0; i < ids.Count; i++)
        {
            CheckId(ids[i], $"{path}[{i}]");
        }

        return ids;
    }

    /// <summary>
    /// Checks a vector's dimension and that every value is finite and at most <paramref name="maxValue"/> in
    /// magnitude, so that no score computed from it can overflow float32; returns it.
    /// </summary>
    public static float[] CheckVector(float[]? vector, int dimension, string path, float maxValue)
    {
        if (vector is null)
        {
            throw EngineException.Invalid($"'{path}' is required.");
        }

        if (vector.Length != dimension)
        {
            throw EngineException.Invalid($"'{path}' has {vector.Length} values; the collection's dimension is {dimension}.");
        }

        for (var i = 0; i < vector.Length; i++)
        {
            if (!float.IsFinite(vector[i]))
            {
                throw EngineException.Invalid($"'{path}[{i}]' is not a finite number.");
            }

            if (MathF.Abs(vector[i]) > maxValue)
            {
                throw EngineException.Invalid(
                    $"'{path}[{i}]' is {vector[i].ToString("R", CultureInfo.InvariantCulture)}; vector values must be at most {maxValue.ToString("R", CultureInfo.InvariantCulture)} in magnitude.");
            }
        }

        return vector;
    }

    /// <summary>
    /// Decodes a vector sent as little-endian float32 bytes (<c>vector_b64</c>); the values are checked by
    /// <see cref="CheckVector"/> afterwards, exactly as a JSON array's.
    /// </summary>
    public static float[] DecodeVector(ReadOnlySpan<byte> bytes, bool alsoArray, int dimension, string path)
    {
        if (alsoArray)
        {
            throw EngineException.Invalid($"Give the vector once: '{path}' or '{path[..^4]}', not both.");
        }

        if (bytes.Length % sizeof(float) != 0)
        {
            throw EngineException.Invalid(
                $"'{path}' decodes to {bytes.Length} bytes, not a whole number of float32 values (4 bytes each, little-endian); dimension {dimension} takes {dimension * sizeof(float)} bytes.");
        }

        var vector = new float[bytes.Length / sizeof(float)];
        if (BitConverter.IsLittleEndian)
        {
            bytes.CopyTo(MemoryMarshal.AsBytes(vector.AsSpan()));
        }
        else
        {
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
            }
        }

        return vector;
    }

    /// <summary>Validates metadata (object, size, depth, schema) and returns its canonical bytes.</summary>
    public static byte[]? PrepareMetadata(JsonElement metadata, CollectionConfig config, int maxMetadataBytes, string path)
    {
        ArgumentNullException.ThrowIfNull(config);
        try
        {
            var bytes = MetadataRules.Normalize(metadata, maxMetadataBytes);
            if (bytes is not null && config.Schema is not null)
            {
                using var doc = JsonDocument.Parse(bytes);
                config.Schema.Validate(doc.RootElement);
            }

            return bytes;
        }
        catch (MetadataException e)
        {
            throw EngineException.Invalid($"'{path}': {e.Message}");
        }
    }
}
