using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Piramid.Engine.Filtering.Indexes;

/// <summary>
/// Undeclared fields: every path to a string, number, boolean or array of them that a point holds is indexed from
/// the first point that holds it, until the collection has <c>maxAutoFields</c> of them. A field is never dropped
/// while the process runs, and one first seen once the bound is reached is never indexed, so an auto-indexed
/// field's index holds every point that has a value there: no point that holds it was added before it existed.
/// </summary>
internal sealed partial class MetadataIndexes
{
    private readonly int _maxAutoFields;

    // Paths already indexed or declared (as UTF-8, dotted), probed by span so a known field costs no allocation.
    private readonly HashSet<byte[]> _known;
    private readonly HashSet<byte[]>.AlternateLookup<ReadOnlySpan<byte>> _knownLookup;

    // The dotted path being walked; writers are serialized, so one buffer serves them all.
    private byte[] _path = new byte[256];

    /// <summary>How many undeclared fields are indexed.</summary>
    public int AutoFields { get; private set; }

    /// <summary>The paths of the indexed undeclared fields, in the order they were first seen.</summary>
    public IEnumerable<string> AutoFieldPaths => _fields.OfType<AutoFieldIndex>().Select(static f => f.Path.Text);

    private void Discover(JsonElement metadata) => Discover(metadata, prefixLength: 0, depth: 1);

    private void Discover(JsonElement value, int prefixLength, int depth)
    {
        foreach (var property in value.EnumerateObject())
        {
            var name = JsonMarshal.GetRawUtf8PropertyName(property);
            if (name.IndexOf((byte)'\\') >= 0)
            {
                name = Encoding.UTF8.GetBytes(property.Name);
            }

            // Keys no filter path can address (stored before the key rules) are skipped, as filters skip them.
            if (name.IsEmpty || name[0] == (byte)'$' || name.IndexOf((byte)'.') >= 0)
            {
                continue;
            }

            var length = Append(prefixLength, name);
            var kind = property.Value.ValueKind;
            if (kind == JsonValueKind.Object)
            {
                if (depth < Piramid.Contracts.Limits.MaxMetadataDepth)
                {
                    Discover(property.Value, length, depth + 1);
                }
            }
            else if (IsIndexable(property.Value))
            {
                Register(_path.AsSpan(0, length));
            }

            if (AutoFields >= _maxAutoFields)
            {
                return;
            }
        }
    }

    private static bool IsIndexable(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                return true;
            case JsonValueKind.Array:
                foreach (var element in value.EnumerateArray())
                {
                    if (element.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private int Append(int prefixLength, ReadOnlySpan<byte> name)
    {
        var length = prefixLength + (prefixLength > 0 ? 1 : 0) + name.Length;
        if (length > _path.Length)
        {
            Array.Resize(ref _path, Math.Max(length, _path.Length * 2));
        }

        if (prefixLength > 0)
        {
            _path[prefixLength] = (byte)'.';
        }

        name.CopyTo(_path.AsSpan(length - name.Length));
        return length;
    }

    private void Register(ReadOnlySpan<byte> path)
    {
        if (_knownLookup.Contains(path))
        {
            return;
        }

        _known.Add(path.ToArray());
        var text = Encoding.UTF8.GetString(path);

        // Every segment is a non-empty key without a dot, so the path parses.
        var index = new AutoFieldIndex(FieldPath.TryParse(text)!);
        _fields.Add(index);
        _byPath.Add(text, index);
        AutoFields++;
    }
}
