using Piramid.Contracts;
using Piramid.Engine.Commands;
using Piramid.Engine.Metadata;

namespace Piramid.Engine.Collections;

/// <summary>Which settings change in place (docs/design/hnsw.md, "Settings that change in place").</summary>
public sealed partial record CollectionConfig
{
    /// <summary>
    /// The settings after <paramref name="change"/>, validated. Only <c>index.ef</c> changes: a search reads it
    /// at its start, so the graph, the slab and the metadata indexes stay as they are. Every other field may repeat
    /// the current value; a different one needs a rebuild and is refused by name (nothing changes).
    /// </summary>
    public CollectionConfig WithUpdate(UpdateCollection change)
    {
        ArgumentNullException.ThrowIfNull(change);
        Fixed("dimension", change.Dimension, Dimension, "the stored vectors have it");
        Fixed("metric", change.Metric, MetricName, "the graph's neighbours and the stored norms follow it");
        Fixed("index.type", change.Index?.Type, IndexType, "the index is built as one");
        Fixed("index.m", change.Index?.M, M, "the graph is built with it");
        Fixed("index.ef_construction", change.Index?.EfConstruction, EfConstruction, "the graph is built with it");
        Fixed("quantization", change.Quantization, Quantization, "the stored codes follow it");
        Fixed("auto_index", change.AutoIndex, AutoIndex, "the metadata indexes are built with it");
        if (change.Schema.ValueKind is not System.Text.Json.JsonValueKind.Undefined)
        {
            MetadataSchema? schema;
            try
            {
                schema = MetadataSchema.Parse(change.Schema);
            }
            catch (MetadataException e)
            {
                throw EngineException.Invalid($"'schema' is invalid: {e.Message}");
            }

            var requested = this with { Schema = schema };
            if (requested.SchemaJson() != SchemaJson())
            {
                throw CannotChange("schema", "the metadata indexes are built from it");
            }
        }

        var ef = change.Index?.Ef is int requestedEf ? CheckRange(requestedEf, 1, Limits.MaxTopK, "index.ef") : Ef;
        return this with { Ef = ef };
    }

    private static void Fixed(string field, string? requested, string current, string why)
    {
        if (requested is not null && requested != current)
        {
            throw CannotChange(field, why);
        }
    }

    private static void Fixed<T>(string field, T? requested, T current, string why)
        where T : struct
    {
        if (requested is T value && !value.Equals(current))
        {
            throw CannotChange(field, why);
        }
    }

    private static EngineException CannotChange(string field, string why) =>
        EngineException.Invalid($"'{field}' cannot change in place ({why}); only 'index.ef' can. Create a new collection with the new setting (export and import move the points).");
}
