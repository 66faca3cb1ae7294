using System.Globalization;
using System.Text;
using System.Text.Json;
using Piramid.Engine;

namespace Piramid.DataPlane.Api;

/// <summary>
/// The API's JSON rules, checked on the whole body before it is bound (docs/API.md, "JSON"). System.Text.Json
/// accepts more than the engine can store or compare: an escaped unpaired surrogate (<c>"\ud800"</c>) parses but
/// cannot become a string, a repeated key silently keeps one of its values, <c>1e400</c> is infinity. Checking
/// once here means no later layer (filter, metadata, schema, ids, the log) ever sees such a value, and the
/// caller gets a 400 naming where it is.
/// </summary>
internal static class JsonRules
{
    /// <summary>Deepest nesting of objects and arrays in a body.</summary>
    public const int MaxDepth = 64;

    /// <summary>Reader settings shared by the check and the binding.</summary>
    public static readonly JsonReaderOptions ReaderOptions = new()
    {
        MaxDepth = MaxDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    /// <summary>
    /// Checks <paramref name="body"/>: one JSON value, well-formed UTF-8, depth ≤ <see cref="MaxDepth"/>, every string
    /// and key valid UTF-16 once unescaped (no unpaired surrogate), no control character in a key, no key twice in
    /// one object, and every number a finite double.
    /// </summary>
    /// <exception cref="EngineException">400 naming the JSON path of the first offence.</exception>
    public static void Check(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, ReaderOptions);
        var scopes = new List<Scope>();
        while (Read(ref reader, scopes))
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    Advance(scopes);
                    scopes.Add(new Scope(reader.TokenType == JsonTokenType.StartArray));
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    scopes.RemoveAt(scopes.Count - 1);
                    break;
                case JsonTokenType.PropertyName:
                    var name = Decode(ref reader, scopes, "a key");
                    var scope = scopes[^1];
                    scope.Name = name;
                    if (name.AsSpan().ContainsAnyInRange('\0', '\u001f'))
                    {
                        throw EngineException.Invalid($"{Where(scopes)}: keys may not contain control characters (U+0000 to U+001F).");
                    }

                    if (!(scope.Names ??= new HashSet<string>(StringComparer.Ordinal)).Add(name))
                    {
                        throw EngineException.Invalid($"{Where(scopes)}: the key '{name}' appears twice in one object; send each key once.");
                    }

                    break;
                case JsonTokenType.String:
                    Advance(scopes);
                    Decode(ref reader, scopes, "a string");
                    break;
                case JsonTokenType.Number:
                    Advance(scopes);
                    if (!reader.TryGetDouble(out var number) || !double.IsFinite(number))
                    {
                        throw EngineException.Invalid(
                            $"{Where(scopes)}: the number {Encoding.UTF8.GetString(reader.ValueSpan)} is out of range; numbers must be finite doubles (at most ±1.7976931348623157E+308).");
                    }

                    break;
                default:
                    Advance(scopes);
                    break;
            }
        }
    }

    private static bool Read(ref Utf8JsonReader reader, List<Scope> scopes)
    {
        try
        {
            return reader.Read();
        }
        catch (JsonException e)
        {
            var problem = e.Message.Contains("maximum configured depth", StringComparison.Ordinal)
                ? $"the body nests objects and arrays deeper than {MaxDepth} levels"
                : $"the body is not valid JSON (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1})";
            throw EngineException.Invalid($"{Where(scopes)}: {problem}.");
        }
    }

    // Unescapes and transcodes the token; invalid UTF-8 or an escaped lone surrogate cannot become a string.
    private static string Decode(ref Utf8JsonReader reader, List<Scope> scopes, string what)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw EngineException.Invalid(
                $"{Where(scopes)}: {what} is not valid Unicode text (invalid UTF-8, or an unpaired surrogate such as \\ud800); send UTF-8 text.");
        }
    }

    // A value inside an array moves its index; a value after a key belongs to that key.
    private static void Advance(List<Scope> scopes)
    {
        if (scopes.Count > 0 && scopes[^1].IsArray)
        {
            scopes[^1].Index++;
        }
    }

    private static string Where(List<Scope> scopes)
    {
        var path = new StringBuilder();
        foreach (var scope in scopes)
        {
            if (scope.IsArray)
            {
                path.Append('[').Append(Math.Max(0, scope.Index).ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else if (scope.Name is { } name)
            {
                if (path.Length > 0)
                {
                    path.Append('.');
                }

                path.Append(name.Length <= 80 ? name : name[..80] + "...");
            }
        }

        return path.Length == 0 ? "'the body'" : $"'{path}'";
    }

    private sealed class Scope(bool isArray)
    {
        public bool IsArray { get; } = isArray;

        // Index of the current element (-1 before the first).
        public int Index { get; set; } = -1;

        public string? Name { get; set; }

        public HashSet<string>? Names { get; set; }
    }
}
