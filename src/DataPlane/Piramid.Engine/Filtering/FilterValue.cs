using System.Text.Json;

namespace Piramid.Engine.Filtering;

/// <summary>An operand decoded once at compile time: a number, string, boolean or null.</summary>
internal readonly struct FilterValue
{
    private FilterValue(JsonValueKind kind, double number, string? text)
    {
        Kind = kind;
        Number = number;
        Text = text;
    }

    public JsonValueKind Kind { get; }

    public double Number { get; }

    public string? Text { get; }

    public static bool TryFrom(JsonElement e, out FilterValue value)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Number when e.TryGetDouble(out var d) && double.IsFinite(d):
                value = new FilterValue(JsonValueKind.Number, d, null);
                return true;
            case JsonValueKind.String:
                value = new FilterValue(JsonValueKind.String, 0, e.GetString());
                return true;
            case JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null:
                value = new FilterValue(e.ValueKind, 0, null);
                return true;
            default:
                value = default;
                return false;
        }
    }

    /// <summary>Equality across JSON kinds: numbers numerically, strings ordinally, the rest by kind.</summary>
    public bool EqualsElement(JsonElement e) => Kind switch
    {
        JsonValueKind.Number => e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var d) && d == Number,
        JsonValueKind.String => e.ValueKind == JsonValueKind.String && e.ValueEquals(Text),
        _ => e.ValueKind == Kind,
    };

    /// <summary>Compares <paramref name="e"/> to this value: null when the kinds are not comparable.</summary>
    public int? CompareElement(JsonElement e)
    {
        if (Kind == JsonValueKind.Number && e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var d))
        {
            return d.CompareTo(Number);
        }

        if (Kind == JsonValueKind.String && e.ValueKind == JsonValueKind.String)
        {
            return Math.Sign(string.CompareOrdinal(e.GetString(), Text));
        }

        return null;
    }
}
