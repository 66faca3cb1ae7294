using System.Text;
using System.Text.Json;

namespace Piramid.ControlPlane.Admin;

/// <summary>Walks a JSON document's names and strings, tracking the path, to find text that cannot be stored.</summary>
internal static class JsonText
{
    /// <summary>
    /// A sentence naming the first field whose name or value cannot be stored, or null. Syntax errors are left
    /// to the binder, which answers them with their own 400.
    /// </summary>
    public static string? FindProblem(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var path = new List<string>();
        var indexes = new List<int>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        Advance(path, indexes);
                        path.Add(reader.TokenType == JsonTokenType.StartArray ? "[" : "{");
                        indexes.Add(-1);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        indexes.RemoveAt(indexes.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var (name, nameProblem) = Read(ref reader);
                        if (nameProblem is not null)
                        {
                            path[^1] = ".?";
                            return $"A field name at '{Format(path)}' {nameProblem}.";
                        }

                        path[^1] = "." + (name!.Length > 64 ? name[..64] + "..." : name);
                        break;
                    case JsonTokenType.String:
                        Advance(path, indexes);
                        var (_, valueProblem) = Read(ref reader);
                        if (valueProblem is not null)
                        {
                            return $"The field '{Format(path)}' {valueProblem}.";
                        }

                        break;
                    default:
                        Advance(path, indexes);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return null;
    }

    // Inside an array each value moves the index; inside an object the property name set the segment.
    private static void Advance(List<string> path, List<int> indexes)
    {
        if (path.Count > 0 && path[^1].StartsWith('['))
        {
            indexes[^1]++;
            path[^1] = $"[{indexes[^1]}]";
        }
    }

    private static (string? Text, string? Problem) Read(ref Utf8JsonReader reader)
    {
        string text;
        try
        {
            text = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // The reader refuses escaped lone surrogates and invalid UTF-8 alike.
            return (null, "is not valid Unicode text (invalid UTF-8 or an unpaired surrogate)");
        }

        return (text, StoredText.Problem(text));
    }

    private static string Format(List<string> path)
    {
        var text = new StringBuilder("$");
        foreach (var segment in path)
        {
            if (segment is not ("{" or "["))
            {
                text.Append(segment);
            }
        }

        return text.ToString();
    }
}
