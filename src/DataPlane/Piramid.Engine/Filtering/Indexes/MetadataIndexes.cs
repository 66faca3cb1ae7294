using System.Text.Json;
using Piramid.Engine.Metadata;

namespace Piramid.Engine.Filtering.Indexes;

/// <summary>
/// A collection's metadata indexes: one per schema field typed keyword, integer, float or boolean (text is not
/// indexed), and, unless the collection opted out, one per undeclared scalar field, made when a point first holds
/// it, up to a bound (<see cref="AutoFields"/>). They estimate how many points a filter matches and enumerate a
/// superset of those points, so a planner can switch selective filters to exact search over the matches.
/// </summary>
/// <remarks>
/// Writers (<see cref="Add"/>, <see cref="Remove"/>) must be serialized and exclusive of readers, as under the
/// collection's write lock; <see cref="Estimate"/> and <see cref="TryCollect"/> never mutate, so any number
/// of threads may call them at once under its read lock. See docs/design/metadata-indexes.md.
/// </remarks>
internal sealed partial class MetadataIndexes
{
    private readonly List<FieldIndex> _fields = [];
    private readonly Dictionary<string, FieldIndex> _byPath = new(StringComparer.Ordinal);

    /// <summary>Indexes of the schema's typed fields only.</summary>
    public MetadataIndexes(MetadataSchema? schema)
        : this(schema, maxAutoFields: 0)
    {
    }

    /// <summary>
    /// Indexes of the schema's typed fields, and of up to <paramref name="maxAutoFields"/> undeclared fields
    /// (0: none, the collection's opt-out).
    /// </summary>
    public MetadataIndexes(MetadataSchema? schema, int maxAutoFields)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxAutoFields);
        _maxAutoFields = maxAutoFields;
        _known = new HashSet<byte[]>(Utf8KeyComparer.Instance);
        _knownLookup = _known.GetAlternateLookup<ReadOnlySpan<byte>>();
        foreach (var (name, type) in schema?.Fields ?? new Dictionary<string, MetadataFieldType>())
        {
            // The schema has already refused empty segments, so parsing cannot fail.
            var path = FieldPath.TryParse(name) ?? throw new ArgumentException($"bad schema field name '{name}'", nameof(schema));
            FieldIndex? index = type switch
            {
                MetadataFieldType.Keyword => new KeywordIndex(path),
                MetadataFieldType.Integer or MetadataFieldType.Float => new NumericIndex(path),
                MetadataFieldType.Boolean => new BooleanIndex(path),
                _ => null,
            };
            if (index is not null)
            {
                _fields.Add(index);
                _byPath.Add(name, index);
            }

            // Declared fields, text ones included, are never indexed a second time as undeclared ones.
            _known.Add(System.Text.Encoding.UTF8.GetBytes(name));
        }
    }

    /// <summary>True when at least one field is indexed; otherwise every estimate is null.</summary>
    public bool HasIndexes => _fields.Count > 0;

    /// <summary>Indexes a point's metadata root (an object, or <c>default</c> when it has none) under <paramref name="slot"/>.</summary>
    public void Add(int slot, JsonElement metadata)
    {
        if (AutoFields < _maxAutoFields && metadata.ValueKind == JsonValueKind.Object)
        {
            Discover(metadata);
        }

        foreach (var field in _fields)
        {
            if (field.Path.TryResolve(metadata, out var value))
            {
                field.Add(slot, value);
            }
        }
    }

    /// <summary>Removes a point; <paramref name="metadata"/> must be what was passed to <see cref="Add"/> for the slot.</summary>
    public void Remove(int slot, JsonElement metadata)
    {
        foreach (var field in _fields)
        {
            if (field.Path.TryResolve(metadata, out var value))
            {
                field.Remove(slot, value);
            }
        }
    }
}
