using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Piramid.Client.Json;

namespace Piramid.Client.Models;

/// <summary>
/// A metadata filter in the platform's Mongo-style language: <c>Filter.Equal("genre", "drama")</c>,
/// <c>Filter.And(Filter.Gte("year", 2000), Filter.Lt("year", 2010))</c>, or any JSON with <see cref="Parse"/>.
/// Immutable: combining filters copies them.
/// </summary>
[JsonConverter(typeof(FilterConverter))]
public sealed class Filter
{
    private readonly JsonObject _json;

    private Filter(JsonObject json) => _json = json;

    /// <summary>A filter from its JSON text, e.g. <c>{"tags": {"$in": ["a", "b"]}}</c>.</summary>
    public static Filter Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonNode.Parse(json) is JsonObject obj
            ? new Filter(obj)
            : throw new ArgumentException("A filter is a JSON object.", nameof(json));
    }

    /// <summary><c>field</c> equals <paramref name="value"/> (typed: a number never equals a string).</summary>
    public static Filter Equal(string field, JsonNode? value) => Field(field, "$eq", value);

    /// <summary><c>field</c> differs from <paramref name="value"/>.</summary>
    public static Filter NotEqual(string field, JsonNode? value) => Field(field, "$ne", value);

    /// <summary><c>field</c> &gt; <paramref name="value"/>.</summary>
    public static Filter Gt(string field, JsonNode value) => Field(field, "$gt", value);

    /// <summary><c>field</c> ≥ <paramref name="value"/>.</summary>
    public static Filter Gte(string field, JsonNode value) => Field(field, "$gte", value);

    /// <summary><c>field</c> &lt; <paramref name="value"/>.</summary>
    public static Filter Lt(string field, JsonNode value) => Field(field, "$lt", value);

    /// <summary><c>field</c> ≤ <paramref name="value"/>.</summary>
    public static Filter Lte(string field, JsonNode value) => Field(field, "$lte", value);

    /// <summary><c>field</c> is one of <paramref name="values"/>.</summary>
    public static Filter In(string field, params JsonNode?[] values) => Field(field, "$in", new JsonArray(Clone(values)));

    /// <summary><c>field</c> is none of <paramref name="values"/>.</summary>
    public static Filter NotIn(string field, params JsonNode?[] values) => Field(field, "$nin", new JsonArray(Clone(values)));

    /// <summary><c>field</c> is present (or absent when <paramref name="exists"/> is false).</summary>
    public static Filter Exists(string field, bool exists = true) => Field(field, "$exists", exists);

    /// <summary>Every filter matches.</summary>
    public static Filter And(params Filter[] filters) => Combine("$and", filters);

    /// <summary>At least one filter matches.</summary>
    public static Filter Or(params Filter[] filters) => Combine("$or", filters);

    /// <summary>The filter does not match.</summary>
    public static Filter Not(Filter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return new Filter(new JsonObject { ["$not"] = filter._json.DeepClone() });
    }

    /// <summary>The filter's JSON text.</summary>
    public override string ToString() => _json.ToJsonString();

    internal void WriteTo(Utf8JsonWriter writer) => _json.WriteTo(writer);

    private static Filter Field(string field, string op, JsonNode? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        return new Filter(new JsonObject { [field] = new JsonObject { [op] = value?.DeepClone() } });
    }

    private static Filter Combine(string op, Filter[] filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var array = new JsonArray();
        foreach (var filter in filters)
        {
            ArgumentNullException.ThrowIfNull(filter);
            array.Add(filter._json.DeepClone());
        }

        return new Filter(new JsonObject { [op] = array });
    }

    private static JsonNode?[] Clone(JsonNode?[] values) => [.. values.Select(v => v?.DeepClone())];
}
