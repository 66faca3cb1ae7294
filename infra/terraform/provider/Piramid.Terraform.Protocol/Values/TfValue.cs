using System.Globalization;

namespace Piramid.Terraform.Protocol.Values;

/// <summary>What a <see cref="TfValue"/> holds.</summary>
public enum TfKind
{
    /// <summary>null.</summary>
    Null,

    /// <summary>Not known until apply (msgpack extension 0).</summary>
    Unknown,

    /// <summary>A string.</summary>
    String,

    /// <summary>A number.</summary>
    Number,

    /// <summary>A bool.</summary>
    Bool,

    /// <summary>A list or a set: ordered elements.</summary>
    List,

    /// <summary>A map or an object: named elements.</summary>
    Object,
}

/// <summary>
/// An immutable Terraform value, decoded without its type: lists and sets are <see cref="TfKind.List"/>, maps and
/// objects <see cref="TfKind.Object"/>. The type comes back from the schema when the value is encoded.
/// Equality is structural (what a plan compares).
/// </summary>
public sealed class TfValue : IEquatable<TfValue>
{
    /// <summary>null.</summary>
    public static readonly TfValue Null = new(TfKind.Null);

    /// <summary>Unknown.</summary>
    public static readonly TfValue Unknown = new(TfKind.Unknown);

    /// <summary>Empty object.</summary>
    public static readonly TfValue EmptyObject = Object(new Dictionary<string, TfValue>());

    private readonly string? _string;
    private readonly double _number;
    private readonly bool _bool;
    private readonly IReadOnlyList<TfValue>? _items;
    private readonly IReadOnlyDictionary<string, TfValue>? _attributes;

    private TfValue(TfKind kind, string? s = null, double n = 0, bool b = false,
        IReadOnlyList<TfValue>? items = null, IReadOnlyDictionary<string, TfValue>? attributes = null)
    {
        Kind = kind;
        _string = s;
        _number = n;
        _bool = b;
        _items = items;
        _attributes = attributes;
    }

    /// <summary>What the value holds.</summary>
    public TfKind Kind { get; }

    /// <summary>True for null.</summary>
    public bool IsNull => Kind == TfKind.Null;

    /// <summary>True when not known until apply.</summary>
    public bool IsUnknown => Kind == TfKind.Unknown;

    /// <summary>True when neither null nor unknown.</summary>
    public bool HasValue => Kind is not (TfKind.Null or TfKind.Unknown);

    /// <summary>A string value.</summary>
    public static TfValue String(string value) => new(TfKind.String, s: value);

    /// <summary>A string, or null when <paramref name="value"/> is null.</summary>
    public static TfValue StringOrNull(string? value) => value is null ? Null : String(value);

    /// <summary>A number value.</summary>
    public static TfValue Number(double value) => new(TfKind.Number, n: value);

    /// <summary>A number, or null.</summary>
    public static TfValue NumberOrNull(double? value) => value is { } v ? Number(v) : Null;

    /// <summary>A bool value.</summary>
    public static TfValue Bool(bool value) => new(TfKind.Bool, b: value);

    /// <summary>A list or set value.</summary>
    public static TfValue List(IEnumerable<TfValue> items) => new(TfKind.List, items: items.ToArray());

    /// <summary>A map or object value.</summary>
    public static TfValue Object(IReadOnlyDictionary<string, TfValue> attributes) =>
        new(TfKind.Object, attributes: new Dictionary<string, TfValue>(attributes, StringComparer.Ordinal));

    /// <summary>The string; throws for another kind.</summary>
    public string AsString() => Kind == TfKind.String ? _string! : throw Wrong(TfKind.String);

    /// <summary>The number; throws for another kind.</summary>
    public double AsNumber() => Kind == TfKind.Number ? _number : throw Wrong(TfKind.Number);

    /// <summary>The bool; throws for another kind.</summary>
    public bool AsBool() => Kind == TfKind.Bool ? _bool : throw Wrong(TfKind.Bool);

    /// <summary>The elements of a list or set; throws for another kind.</summary>
    public IReadOnlyList<TfValue> Items => Kind == TfKind.List ? _items! : throw Wrong(TfKind.List);

    /// <summary>The elements of a map or object; throws for another kind.</summary>
    public IReadOnlyDictionary<string, TfValue> Attributes => Kind == TfKind.Object ? _attributes! : throw Wrong(TfKind.Object);

    /// <summary>An attribute of an object, or <see cref="Null"/> when the value is null or has no such attribute.</summary>
    public TfValue this[string name] =>
        Kind == TfKind.Object && _attributes!.TryGetValue(name, out var v) ? v : Null;

    /// <summary>The string of an attribute, or null when it is null or unknown.</summary>
    public string? GetString(string name) => this[name] is { Kind: TfKind.String } v ? v.AsString() : null;

    /// <summary>The number of an attribute, or null when it is null or unknown.</summary>
    public double? GetNumber(string name) => this[name] is { Kind: TfKind.Number } v ? v.AsNumber() : null;

    /// <summary>The bool of an attribute, or null when it is null or unknown.</summary>
    public bool? GetBool(string name) => this[name] is { Kind: TfKind.Bool } v ? v.AsBool() : null;

    /// <summary>A copy of this object with one attribute set.</summary>
    public TfValue With(string name, TfValue value)
    {
        var copy = new Dictionary<string, TfValue>(Attributes, StringComparer.Ordinal) { [name] = value };
        return new TfValue(TfKind.Object, attributes: copy);
    }

    /// <inheritdoc />
    public bool Equals(TfValue? other)
    {
        if (other is null || other.Kind != Kind)
        {
            return false;
        }

        return Kind switch
        {
            TfKind.Null or TfKind.Unknown => true,
            TfKind.String => _string == other._string,
            TfKind.Number => _number.Equals(other._number),
            TfKind.Bool => _bool == other._bool,
            TfKind.List => _items!.SequenceEqual(other._items!),
            _ => _attributes!.Count == other._attributes!.Count
                && _attributes.All(a => other._attributes.TryGetValue(a.Key, out var o) && a.Value.Equals(o)),
        };
    }

    /// <summary>Equality where a set's order does not count (for comparing sets).</summary>
    public bool SetEquals(TfValue other) =>
        Kind == TfKind.List && other.Kind == TfKind.List
            ? _items!.Count == other._items!.Count && _items.All(i => other._items.Contains(i)) && other._items.All(i => _items.Contains(i))
            : Equals(other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as TfValue);

    /// <inheritdoc />
    public override int GetHashCode() => Kind switch
    {
        TfKind.String => HashCode.Combine(Kind, _string),
        TfKind.Number => HashCode.Combine(Kind, _number),
        TfKind.Bool => HashCode.Combine(Kind, _bool),
        TfKind.List => HashCode.Combine(Kind, _items!.Count),
        TfKind.Object => HashCode.Combine(Kind, _attributes!.Count),
        _ => Kind.GetHashCode(),
    };

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        TfKind.Null => "null",
        TfKind.Unknown => "(known after apply)",
        TfKind.String => "\"" + _string + "\"",
        TfKind.Number => _number.ToString(CultureInfo.InvariantCulture),
        TfKind.Bool => _bool ? "true" : "false",
        TfKind.List => "[" + string.Join(", ", _items!) + "]",
        _ => "{" + string.Join(", ", _attributes!.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Key + " = " + a.Value)) + "}",
    };

    private InvalidOperationException Wrong(TfKind wanted) => new($"Value is {Kind}, not {wanted}.");
}
