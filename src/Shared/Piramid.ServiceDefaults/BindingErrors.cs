using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Piramid.ServiceDefaults;

/// <summary>
/// Words for the binder's refusals. Minimal APIs throw <see cref="BadHttpRequestException"/> (when
/// <c>ThrowOnBadRequest</c> is set) with a message about .NET parameters and types; the caller needs the field
/// name as sent and what a valid value looks like.
/// </summary>
public static partial class BindingErrors
{
    /// <summary>The detail for a refusal: the field or parameter as the caller wrote it, and what was expected.</summary>
    public static string Describe(BadHttpRequestException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.InnerException is JsonException json)
        {
            return DescribeJson(json);
        }

        if (exception.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return "Send the body as JSON with 'Content-Type: application/json'.";
        }

        if (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return "The request body is too large.";
        }

        var message = exception.Message;
        if (FailedParameter().Match(message) is { Success: true } failed)
        {
            return $"The parameter '{failed.Groups["name"].Value}' must be {Expected(failed.Groups["type"].Value)}; got '{Shorten(failed.Groups["value"].Value)}'.";
        }

        if (MissingParameter().Match(message) is { Success: true } missing)
        {
            return missing.Groups["source"].Value == "body"
                ? "A JSON body is required."
                : $"The parameter '{missing.Groups["name"].Value}' is required.";
        }

        if (message.Contains("no body was provided", StringComparison.Ordinal))
        {
            return "A JSON body is required.";
        }

        return "The request could not be read: check the parameters and the JSON body against the API reference.";
    }

    private static string DescribeJson(JsonException json)
    {
        var path = string.IsNullOrEmpty(json.Path) ? "$" : json.Path;
        var message = json.Message;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return $"'{Field(path)}' is not a field of this request; check field names against the API reference.";
        }

        if (ConvertedTo().Match(message) is { Success: true } converted)
        {
            return path == "$"
                ? $"The body must be {Expected(converted.Groups["type"].Value)}."
                : $"The field '{Field(path)}' must be {Expected(converted.Groups["type"].Value)}.";
        }

        if (MissingRequired().Match(message) is { Success: true } required)
        {
            return $"The body is missing required fields: {required.Groups["names"].Value}.";
        }

        var where = json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : string.Empty;
        return $"The body is not valid JSON at '{path}'{where}.";
    }

    // "$.collections[2]" names the field as the caller wrote it; the root is named "$".
    private static string Field(string path) => path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    private static string Expected(string type)
    {
        if (type.Contains("List`", StringComparison.Ordinal) || type.Contains("[]", StringComparison.Ordinal) || type.Contains("Enumerable`", StringComparison.Ordinal))
        {
            return "an array";
        }

        // The binder writes "Nullable<DateOnly>", the serializer "System.Nullable`1[System.DateOnly]".
        var name = type.TrimEnd('?', ']', '>');
        var open = name.LastIndexOfAny(['[', '<']);
        name = open >= 0 ? name[(open + 1)..] : name;
        name = name[(name.LastIndexOf('.') + 1)..];

        return name switch
        {
            "DateOnly" => "a date (yyyy-MM-dd)",
            "DateTimeOffset" or "DateTime" => "an ISO 8601 timestamp, e.g. 2026-01-31T12:00:00Z",
            "Int32" or "int" => "an integer between -2147483648 and 2147483647",
            "Int64" or "long" => "a 64-bit integer",
            "Boolean" or "bool" => "true or false",
            "String" or "string" => "a string",
            "Double" or "Single" or "double" or "float" => "a number",
            _ => "a JSON object of the documented shape",
        };
    }

    private static string Shorten(string value) => value.Length > 64 ? value[..64] + "..." : value;

    [GeneratedRegex("^Failed to bind parameter \"(?<type>\\S+) (?<name>[^\"]+)\" from \"(?<value>.*)\"\\.$", RegexOptions.Singleline)]
    private static partial Regex FailedParameter();

    [GeneratedRegex("^Required parameter \"(?<type>\\S+) (?<name>[^\"]+)\" was not provided from (?<source>\\w+)")]
    private static partial Regex MissingParameter();

    [GeneratedRegex("could not be converted to (?<type>[\\w.`\\[\\], =]+?)\\. Path")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex("missing required properties including: (?<names>.+?)\\.?$")]
    private static partial Regex MissingRequired();
}
