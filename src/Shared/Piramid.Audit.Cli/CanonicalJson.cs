using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Piramid.Audit.Cli;

/// <summary>
/// One spelling of a JSON value for hashing: members sorted by name (ordinal), no whitespace, strings re-escaped by
/// one encoder, numbers as their normalized decimal (or round-trip double) text: the control plane's
/// <c>Auditing/CanonicalJson.cs</c>, copied so that this tool depends on nothing of the platform. Keep them in step.
/// </summary>
public static class CanonicalJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    /// <summary>The canonical UTF-8 text of <paramref name="element"/>.</summary>
    public static byte[] Of(JsonElement element)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Options))
        {
            Write(writer, element);
        }

        return stream.ToArray();
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            case JsonValueKind.Number:
                writer.WriteRawValue(Number(element), skipInputValidation: true);
                break;
            default:
                element.WriteTo(writer); // true, false, null
                break;
        }
    }

    // 1.50, 1.5 and 15e-1 are one number to jsonb: written as the decimal without trailing zeros.
    private static string Number(JsonElement element) =>
        element.TryGetDecimal(out var value)
            ? (value / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture)
            : double.Parse(element.GetRawText(), CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
}
