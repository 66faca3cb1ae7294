using System.Text;
using System.Text.Json;

namespace Piramid.Engine.Filtering;

/// <summary>
/// A dotted field path split once into UTF-8 segments, so lookups neither split nor transcode per evaluation.
/// A path only descends through objects; an array or scalar on the way means the field is missing.
/// </summary>
internal sealed class FieldPath
{
    private readonly byte[][] _segments;

    private FieldPath(string text, byte[][] segments)
    {
        Text = text;
        _segments = segments;
    }

    /// <summary>The path as written, e.g. <c>author.name</c>.</summary>
    public string Text { get; }

    /// <summary>Splits <paramref name="text"/> on dots; returns null when it is empty or has an empty segment.</summary>
    public static FieldPath? TryParse(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        var parts = text.Split('.');
        var segments = new byte[parts.Length][];
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length == 0)
            {
                return null;
            }

            segments[i] = Encoding.UTF8.GetBytes(parts[i]);
        }

        return new FieldPath(text, segments);
    }

    /// <summary>Finds the value at this path under <paramref name="root"/>; false when any step is missing.</summary>
    public bool TryResolve(JsonElement root, out JsonElement value)
    {
        value = root;
        foreach (var segment in _segments)
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(segment, out value))
            {
                value = default;
                return false;
            }
        }

        return true;
    }
}
