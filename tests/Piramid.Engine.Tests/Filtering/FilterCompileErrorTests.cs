using System.Text;
using System.Text.Json;
using Piramid.Contracts;
using Piramid.Engine.Filtering;

namespace Piramid.Engine.Tests.Filtering;

public class FilterCompileErrorTests
{
    [Theory]
    [InlineData("[]", "filter: expected an object, got an array")]
    [InlineData("\"drama\"", "filter: expected an object, got a string")]
    [InlineData("""{"$and":[{"a":1},{"year":{"$gtx":1}}]}""", "filter.$and[1].year: unknown operator '$gtx'; expected one of $eq, $ne, $gt, $gte, $lt, $lte, $in, $nin, $exists")]
    [InlineData("""{"$nor":[{"a":1}]}""", "filter: unknown operator '$nor'; expected one of $and, $or, $not")]
    [InlineData("""{"author":{"name":"Ann"}}""", "filter.author: unknown operator 'name'; expected one of $eq, $ne, $gt, $gte, $lt, $lte, $in, $nin, $exists (use the dotted path 'author.name'")]
    [InlineData("""{"year":{}}""", "filter.year: empty operator object")]
    [InlineData("""{"tags":{"$in":"a"}}""", "filter.tags.$in: $in needs an array, got a string")]
    [InlineData("""{"tags":{"$nin":{"a":1}}}""", "filter.tags.$nin: $nin needs an array, got an object")]
    [InlineData("""{"tags":{"$in":["a",["b"]]}}""", "filter.tags.$in[1]: $in needs a number, string, boolean or null, got an array")]
    [InlineData("""{"tags":{"$nin":[{"x":1}]}}""", "filter.tags.$nin[0]: $nin needs a number, string, boolean or null, got an object")]
    [InlineData("""{"a":{"$exists":1}}""", "filter.a.$exists: $exists needs a boolean, got a number")]
    [InlineData("""{"a":{"$exists":"true"}}""", "filter.a.$exists: $exists needs a boolean, got a string")]
    [InlineData("""{"year":{"$gt":true}}""", "filter.year.$gt: $gt needs a number or string, got a boolean")]
    [InlineData("""{"year":{"$gte":null}}""", "filter.year.$gte: $gte needs a number or string, got null")]
    [InlineData("""{"year":{"$lt":[1]}}""", "filter.year.$lt: $lt needs a number or string, got an array")]
    [InlineData("""{"year":{"$lte":{}}}""", "filter.year.$lte: $lte needs a number or string, got an object")]
    [InlineData("""{"year":{"$eq":[2004]}}""", "filter.year.$eq: $eq needs a number, string, boolean or null, got an array")]
    [InlineData("""{"year":{"$ne":{"$gt":1}}}""", "filter.year.$ne: $ne needs a number, string, boolean or null, got an object")]
    [InlineData("""{"year":[2004]}""", "filter.year: $eq needs a number, string, boolean or null, got an array")]
    [InlineData("""{"year":1e309}""", "filter.year: $eq needs a number, string, boolean or null, got a number outside the double range")]
    [InlineData("""{"$and":[]}""", "filter.$and: $and needs a non-empty array of filter objects, got an empty array")]
    [InlineData("""{"$or":{"a":1}}""", "filter.$or: $or needs a non-empty array of filter objects, got an object")]
    [InlineData("""{"$or":[{"a":1},"b"]}""", "filter.$or[1]: $or items must be filter objects, got a string")]
    [InlineData("""{"$not":[{"a":1}]}""", "filter.$not: $not needs a filter object, got an array")]
    [InlineData("""{"$not":{"a":{"$regex":"x"}}}""", "filter.$not.a: unknown operator '$regex'")]
    [InlineData("""{"":1}""", "filter: empty field name")]
    [InlineData("""{"$or":[{"a..b":1}]}""", "filter.$or[0].a..b: field path 'a..b' has an empty segment")]
    [InlineData("""{".a":1}""", "filter..a: field path '.a' has an empty segment")]
    [InlineData("""{"a.":1}""", "filter.a.: field path 'a.' has an empty segment")]
    public void Compile_MalformedFilter_ThrowsNamingThePathAndOperator(string filter, string expectedMessage)
    {
        using var document = JsonDocument.Parse(filter);

        var error = Assert.Throws<FilterException>(() => CompiledFilter.Compile(document.RootElement));

        Assert.StartsWith(expectedMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_DepthAtTheLimit_IsAccepted_AndOneDeeperIsRefused()
    {
        var atLimit = NestedNot(Limits.MaxFilterDepth);
        var compiled = CompiledFilterTests.Compile(atLimit);
        using var metadata = JsonDocument.Parse("""{"a":1}""");
        // 15 $not levels around {"a":1}: an odd count, so the result is negated.
        Assert.False(compiled.Matches(metadata.RootElement));

        var error = Assert.Throws<FilterException>(() => CompiledFilterTests.Compile(NestedNot(Limits.MaxFilterDepth + 1)));
        Assert.Contains(
            $": filter nesting depth {Limits.MaxFilterDepth + 1} exceeds the limit of {Limits.MaxFilterDepth}",
            error.Message,
            StringComparison.Ordinal);
        Assert.StartsWith("filter" + string.Concat(Enumerable.Repeat(".$not", Limits.MaxFilterDepth)) + ":", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_DepthCountsAndAndOrItems()
    {
        var error = Assert.Throws<FilterException>(() => CompiledFilterTests.Compile("""{"$and":[{"$or":[{"a":1}]}]}""", maxDepth: 2));

        Assert.StartsWith("filter.$and[0].$or[0]: filter nesting depth 3 exceeds the limit of 2", error.Message, StringComparison.Ordinal);
        Assert.False(CompiledFilterTests.Compile("""{"$and":[{"$or":[{"a":1}]}]}""", maxDepth: 3).MatchesAll);
    }

    [Fact]
    public void Compile_ConditionsAtTheLimit_AreAccepted_AndOneMoreIsRefused()
    {
        var atLimit = Fields(Limits.MaxFilterConditions);
        Assert.False(CompiledFilterTests.Compile(atLimit).MatchesAll);

        var error = Assert.Throws<FilterException>(() => CompiledFilterTests.Compile(Fields(Limits.MaxFilterConditions + 1)));
        Assert.Equal($"filter.f{Limits.MaxFilterConditions + 1}: the filter has more than {Limits.MaxFilterConditions} conditions", error.Message);
    }

    [Fact]
    public void Compile_InValuesCountAsConditions()
    {
        var values = string.Join(',', Enumerable.Range(0, Limits.MaxFilterConditions));
        Assert.False(CompiledFilterTests.Compile($$$"""{"a":{"$in":[{{{values}}}]}}""").MatchesAll);

        var error = Assert.Throws<FilterException>(() => CompiledFilterTests.Compile($$$"""{"b":1,"a":{"$nin":[{{{values}}}]}}"""));
        Assert.Equal($"filter.a.$nin: the filter has more than {Limits.MaxFilterConditions} conditions", error.Message);
    }

    private static string NestedNot(int depth)
    {
        var builder = new StringBuilder();
        for (var i = 1; i < depth; i++)
        {
            builder.Append("{\"$not\":");
        }

        builder.Append("{\"a\":1}");
        builder.Append('}', depth - 1);
        return builder.ToString();
    }

    private static string Fields(int count) =>
        "{" + string.Join(',', Enumerable.Range(1, count).Select(i => $"\"f{i}\":{i}")) + "}";
}
