using System.Text.Json;
using Piramid.Contracts;
using Piramid.Engine.Commands;
using Piramid.Engine.Metadata;
using Piramid.Engine.Search;

namespace Piramid.Engine.Collections;

/// <summary>
/// The settings a collection is created with; afterwards only <c>ef</c> changes (<see cref="WithUpdate"/>).
/// Persisted (encrypted) as the collection's manifest by <see cref="CollectionManifest"/>.
/// </summary>
public sealed partial record CollectionConfig(
    string Name,
    int Dimension,
    DistanceMetric Metric,
    string IndexType,
    int M,
    int EfConstruction,
    int Ef,
    string Quantization,
    MetadataSchema? Schema,
    DateTimeOffset CreatedAt,
    bool AutoIndex = true)
{
    /// <summary>Index type for exact search.</summary>
    public const string Flat = "flat";

    /// <summary>Index type for the graph index.</summary>
    public const string Hnsw = "hnsw";

    /// <summary>True when <paramref name="name"/> is a valid collection name (API.md).</summary>
    public static bool IsValidName(string? name) => Contracts.Names.NameRules.CollectionName.IsValid(name);

    /// <summary>Validates a create command, naming the first bad field, and fills in defaults.</summary>
    public static CollectionConfig FromCommand(string name, CreateCollection request, int maxDimension, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsValidName(name))
        {
            throw EngineException.Invalid(
                $"Collection name '{Truncate(name)}' is invalid: use 1-63 lower-case letters, digits, '_' or '-', starting with a letter or digit.");
        }

        if (request.Dimension is not int dimension)
        {
            throw EngineException.Invalid("'dimension' is required.");
        }

        if (dimension < 1 || dimension > maxDimension)
        {
            throw EngineException.Invalid($"'dimension' must be between 1 and {maxDimension}; got {dimension}.");
        }

        var metric = (request.Metric ?? "cosine") switch
        {
            "cosine" => DistanceMetric.Cosine,
            "dot" => DistanceMetric.Dot,
            "euclidean" => DistanceMetric.Euclidean,
            var other => throw EngineException.Invalid($"'metric' must be 'cosine', 'dot' or 'euclidean'; got '{Truncate(other)}'."),
        };

        var index = request.Index ?? new IndexSpec();
        var type = index.Type ?? Hnsw;
        if (type is not (Hnsw or Flat))
        {
            throw EngineException.Invalid($"'index.type' must be 'hnsw' or 'flat'; got '{Truncate(type)}'.");
        }

        var m = CheckRange(index.M ?? 16, Limits.MinHnswM, Limits.MaxHnswM, "index.m");
        var efConstruction = CheckRange(index.EfConstruction ?? 200, Limits.MinEfConstruction, Limits.MaxEfConstruction, "index.ef_construction");
        var ef = CheckRange(index.Ef ?? 64, 1, Limits.MaxTopK, "index.ef");

        var quantization = request.Quantization ?? "none";
        if (quantization is not ("none" or "int8"))
        {
            throw EngineException.Invalid($"'quantization' must be 'none' or 'int8'; got '{Truncate(quantization)}'.");
        }

        MetadataSchema? schema;
        try
        {
            schema = MetadataSchema.Parse(request.Schema);
        }
        catch (MetadataException e)
        {
            throw EngineException.Invalid($"'schema' is invalid: {e.Message}");
        }

        return new CollectionConfig(name, dimension, metric, type, m, efConstruction, ef, quantization, schema, now, request.AutoIndex ?? true);
    }

    /// <summary>True when a repeated create asks for the same settings (then it is idempotent).</summary>
    public bool SameSettingsAs(CollectionConfig other) =>
        other is not null && Dimension == other.Dimension && Metric == other.Metric && IndexType == other.IndexType
        && M == other.M && EfConstruction == other.EfConstruction && Ef == other.Ef && Quantization == other.Quantization
        && SchemaJson() == other.SchemaJson() && AutoIndex == other.AutoIndex;

    /// <summary>How many undeclared metadata fields the collection indexes at most (0 when it opted out).</summary>
    public int MaxAutoIndexedFields => AutoIndex ? Limits.MaxAutoIndexedFields : 0;

    /// <summary>The metric's API name.</summary>
    public string MetricName => Metric switch
    {
        DistanceMetric.Cosine => "cosine",
        DistanceMetric.Dot => "dot",
        _ => "euclidean",
    };

    /// <summary>The schema as JSON text, or null.</summary>
    public string? SchemaJson()
    {
        if (Schema is null)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Schema.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static int CheckRange(int value, int min, int max, string field) =>
        value >= min && value <= max
            ? value
            : throw EngineException.Invalid($"'{field}' must be between {min} and {max}; got {value}.");

    private static string Truncate(string? value) =>
        value is null ? string.Empty : value.Length <= 80 ? value : value[..80] + "...";
}
