using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Piramid.Engine.Filtering;

/// <summary>
/// An operand decoded once at compile time: numbers as double, strings as UTF-8 bytes. Strings order by
/// UTF-8 bytes, which is Unicode code point order and needs no per-evaluation decoding.
/// </summary>
internal readonly struct FilterOperand
{
    private readonly double _number;
    private readonly byte[]? _utf8;

    private FilterOperand(JsonValueKind kind, double number, byte[]? utf8)
    {
        Kind = kind;
        _number = number;
        _utf8 = utf8;
    }

    /// <summary>Number, String, True, False or Null.</summary>
    public JsonValueKind Kind { get; }

    /// <summary>The value when <see cref="Kind"/> is Number, else 0.</summary>
    public double Number => _number;

    /// <summary>The unescaped UTF-8 bytes when <see cref="Kind"/> is String, else empty.</summary>
    public ReadOnlySpan<byte> Utf8 => _utf8;

    /// <summary>Decodes a scalar; returns false for objects, arrays and numbers outside the double range.</summary>
    public static bool TryCreate(JsonElement element, out FilterOperand operand)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Number when element.TryGetDouble(out var number) && double.IsFinite(number):
                operand = new FilterOperand(JsonValueKind.Number, number, null);
                return true;
            case JsonValueKind.String:
                operand = new FilterOperand(JsonValueKind.String, 0, Encoding.UTF8.GetBytes(element.GetString()!));
                return true;
            case JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null:
                operand = new FilterOperand(element.ValueKind, 0, null);
                return true;
            default:
                operand = default;
                return false;
        }
    }

    /// <summary>Equality: numbers numerically (1 == 1.0), strings ordinally, booleans and null by kind.</summary>
    public bool EqualsValue(JsonElement value)
    {
        if (Kind == JsonValueKind.Number)
        {
            return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && number == _number;
        }

        if (Kind == JsonValueKind.String)
        {
            return value.ValueKind == JsonValueKind.String && value.ValueEquals(_utf8);
        }

        return value.ValueKind == Kind;
    }

    /// <summary>
    /// Compares <paramref name="value"/> with this operand; false when they are not comparable (different types,
    /// or an operand that is neither number nor string), so range operators never match across types.
    /// </summary>
    public bool TryCompare(JsonElement value, out int comparison)
    {
        comparison = 0;
        if (Kind == JsonValueKind.Number)
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number))
            {
                return false;
            }

            comparison = number.CompareTo(_number);
            return true;
        }

        return Kind == JsonValueKind.String && value.ValueKind == JsonValueKind.String
            && TryCompareUtf8(value, _utf8!, out comparison);
    }

    private static bool TryCompareUtf8(JsonElement value, byte[] operand, out int comparison)
    {
        // The raw token includes its quotes; without a backslash its inside is exactly the string's UTF-8 bytes.
        var token = JsonMarshal.GetRawUtf8Value(value);
        var raw = token[1..^1];
        if (raw.IndexOf((byte)'\\') < 0)
        {
            comparison = raw.SequenceCompareTo(operand);
            return true;
        }

        // Escaped strings (quotes, backslashes, control characters) are unescaped into scratch space; an
        // unescaped string is never longer than its escaped token, and a reader is a ref struct, so no allocation.
        byte[]? rented = null;
        var scratch = raw.Length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(raw.Length));
        try
        {
            var reader = new Utf8JsonReader(token);
            reader.Read();
            var length = reader.CopyString(scratch);
            comparison = scratch[..length].SequenceCompareTo(operand);
            return true;
        }
        catch (InvalidOperationException)
        {
            // An unpaired surrogate escape has no code point order; it is simply not comparable.
            comparison = 0;
            return false;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
