using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Piramid.Client.Models;

namespace Piramid.Client.Json;

/// <summary>Writes a <see cref="Filter"/> as its JSON object (filters are never read back from answers).</summary>
internal sealed class FilterConverter : JsonConverter<Filter>
{
    public override Filter Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return Filter.Parse(document.RootElement.GetRawText());
    }

    public override void Write(Utf8JsonWriter writer, Filter value, JsonSerializerOptions options) => value.WriteTo(writer);
}
