using System.Text.Json;
using Piramid.Contracts;
using Piramid.Engine.Filtering;
using Piramid.TestKit;

namespace Piramid.Engine.Tests.Filtering;

public class CompiledFilterTests
{
    private const string Movie = """
        {
          "genre": "drama", "year": 2004, "rating": 7.5, "adult": false, "sequel": null,
          "tags": ["a", "b", 3], "scores": [1, 5, 9],
          "author": { "name": "Ann", "born": { "year": 1970 } },
          "plot": "caf\u00e9 \"noir\""
        }
        """;

    [Theory]
    // Implicit equality and $eq on every scalar type.
    [InlineData("""{"genre":"drama"}""", true)]
    [InlineData("""{"genre":"Drama"}""", false)]
    [InlineData("""{"year":2004}""", true)]
    [InlineData("""{"year":2004.0}""", true)]
    [InlineData("""{"year":"2004"}""", false)]
    [InlineData("""{"adult":false}""", true)]
    [InlineData("""{"adult":true}""", false)]
    [InlineData("""{"sequel":null}""", true)]
    [InlineData("""{"genre":null}""", false)]
    [InlineData("""{"year":{"$eq":2004}}""", true)]
    [InlineData("""{"rating":{"$eq":7.5}}""", true)]
    [InlineData("""{"plot":"café \"noir\""}""", true)]
    // $ne.
    [InlineData("""{"genre":{"$ne":"comedy"}}""", true)]
    [InlineData("""{"genre":{"$ne":"drama"}}""", false)]
    [InlineData("""{"year":{"$ne":2004.0}}""", false)]
    [InlineData("""{"sequel":{"$ne":null}}""", false)]
    [InlineData("""{"adult":{"$ne":true}}""", true)]
    // Ranges on numbers.
    [InlineData("""{"year":{"$gt":2003}}""", true)]
    [InlineData("""{"year":{"$gt":2004}}""", false)]
    [InlineData("""{"year":{"$gte":2004}}""", true)]
    [InlineData("""{"year":{"$lt":2004}}""", false)]
    [InlineData("""{"year":{"$lte":2004}}""", true)]
    [InlineData("""{"rating":{"$gt":7.4,"$lt":7.6}}""", true)]
    [InlineData("""{"rating":{"$gt":7.5,"$lt":7.6}}""", false)]
    // Ranges on strings are ordinal; across types they never match.
    [InlineData("""{"genre":{"$gt":"comedy"}}""", true)]
    [InlineData("""{"genre":{"$lt":"drama"}}""", false)]
    [InlineData("""{"genre":{"$lte":"drama"}}""", true)]
    [InlineData("""{"genre":{"$gte":"dramas"}}""", false)]
    [InlineData("""{"genre":{"$gt":"Zebra"}}""", true)]
    [InlineData("""{"plot":{"$gt":"caf"}}""", true)]
    [InlineData("""{"plot":{"$lt":"cafe"}}""", false)]
    [InlineData("""{"year":{"$gt":"1000"}}""", false)]
    [InlineData("""{"genre":{"$gt":0}}""", false)]
    [InlineData("""{"adult":{"$gte":0}}""", false)]
    [InlineData("""{"sequel":{"$lte":0}}""", false)]
    // $in and $nin.
    [InlineData("""{"genre":{"$in":["comedy","drama"]}}""", true)]
    [InlineData("""{"genre":{"$in":["comedy"]}}""", false)]
    [InlineData("""{"genre":{"$in":[]}}""", false)]
    [InlineData("""{"year":{"$in":[1999,2004.0]}}""", true)]
    [InlineData("""{"sequel":{"$in":[null]}}""", true)]
    [InlineData("""{"adult":{"$in":[false]}}""", true)]
    [InlineData("""{"genre":{"$nin":["comedy","drama"]}}""", false)]
    [InlineData("""{"genre":{"$nin":["comedy"]}}""", true)]
    [InlineData("""{"genre":{"$nin":[]}}""", true)]
    // $exists: null counts as present.
    [InlineData("""{"genre":{"$exists":true}}""", true)]
    [InlineData("""{"sequel":{"$exists":true}}""", true)]
    [InlineData("""{"genre":{"$exists":false}}""", false)]
    public void Operators_OnScalars_MatchAsDocumented(string filter, bool expected)
    {
        Assert.Equal(expected, Evaluate(filter, Movie));
    }

    [Theory]
    [InlineData("""{"tags":"a"}""", true)]
    [InlineData("""{"tags":"c"}""", false)]
    [InlineData("""{"tags":3}""", true)]
    [InlineData("""{"tags":{"$eq":"b"}}""", true)]
    [InlineData("""{"tags":{"$ne":"a"}}""", false)]
    [InlineData("""{"tags":{"$ne":"c"}}""", true)]
    [InlineData("""{"tags":{"$in":["x","b"]}}""", true)]
    [InlineData("""{"tags":{"$in":["x","y"]}}""", false)]
    [InlineData("""{"tags":{"$nin":["x","b"]}}""", false)]
    [InlineData("""{"tags":{"$nin":["x","y"]}}""", true)]
    [InlineData("""{"scores":{"$gt":8}}""", true)]
    [InlineData("""{"scores":{"$gt":9}}""", false)]
    [InlineData("""{"scores":{"$lt":1}}""", false)]
    [InlineData("""{"scores":{"$lte":1}}""", true)]
    // Each operator may be satisfied by a different element (Mongo semantics).
    [InlineData("""{"scores":{"$gt":6,"$lt":2}}""", true)]
    [InlineData("""{"tags":{"$gt":"a"}}""", true)]
    [InlineData("""{"tags":{"$gt":"b"}}""", false)]
    [InlineData("""{"empty":"a"}""", false)]
    [InlineData("""{"empty":{"$ne":"a"}}""", true)]
    [InlineData("""{"empty":{"$exists":true}}""", true)]
    [InlineData("""{"nested":"a"}""", false)]
    public void Operators_OnArrays_MatchAnyElementOrNoElement(string filter, bool expected)
    {
        const string metadata = """{"tags":["a","b",3],"scores":[1,5,9],"empty":[],"nested":[["a"]]}""";
        Assert.Equal(expected, Evaluate(filter, metadata));
    }

    [Theory]
    [InlineData("""{"author.name":"Ann"}""", true)]
    [InlineData("""{"author.name":"Bob"}""", false)]
    [InlineData("""{"author.born.year":{"$lt":1980}}""", true)]
    [InlineData("""{"author.born.year":{"$gt":1980}}""", false)]
    [InlineData("""{"author.born":{"$exists":true}}""", true)]
    [InlineData("""{"author.born.month":{"$exists":false}}""", true)]
    [InlineData("""{"author.name.first":{"$exists":true}}""", false)]
    [InlineData("""{"genre.name":{"$ne":"x"}}""", true)]
    [InlineData("""{"author":"Ann"}""", false)]
    [InlineData("""{"author":{"$ne":"Ann"}}""", true)]
    public void DottedPaths_ReachNestedObjects(string filter, bool expected)
    {
        Assert.Equal(expected, Evaluate(filter, Movie));
    }

    [Theory]
    [InlineData("""{"missing":{"$ne":1}}""", true)]
    [InlineData("""{"missing":{"$nin":[1,2]}}""", true)]
    [InlineData("""{"missing":{"$exists":false}}""", true)]
    [InlineData("""{"missing":{"$exists":true}}""", false)]
    [InlineData("""{"missing":1}""", false)]
    [InlineData("""{"missing":null}""", false)]
    [InlineData("""{"missing":{"$in":[null]}}""", false)]
    [InlineData("""{"missing":{"$gt":0}}""", false)]
    [InlineData("""{"missing":{"$lte":"z"}}""", false)]
    [InlineData("""{"missing":{"$ne":1,"$exists":true}}""", false)]
    public void MissingField_MatchesOnlyNegatedOperatorsAndExistsFalse(string filter, bool expected)
    {
        Assert.Equal(expected, Evaluate(filter, Movie));
    }

    [Theory]
    [InlineData("""{"missing":{"$ne":1}}""", true)]
    [InlineData("""{"missing":{"$exists":false}}""", true)]
    [InlineData("""{"missing":1}""", false)]
    [InlineData("""{"$not":{"genre":"drama"}}""", true)]
    public void PointWithoutMetadata_BehavesAsAllFieldsMissing(string filter, bool expected)
    {
        var compiled = Compile(filter);

        Assert.Equal(expected, compiled.Matches(default));
        using var nullDocument = JsonDocument.Parse("null");
        Assert.Equal(expected, compiled.Matches(nullDocument.RootElement));
    }

    [Theory]
    [InlineData("""{"genre":"drama","year":2004}""", true)]
    [InlineData("""{"genre":"drama","year":2005}""", false)]
    [InlineData("""{"year":{"$gte":2000,"$lt":2010}}""", true)]
    [InlineData("""{"year":{"$gte":2000,"$lt":2004}}""", false)]
    [InlineData("""{"$and":[{"genre":"drama"},{"year":{"$gt":2000}}]}""", true)]
    [InlineData("""{"$and":[{"genre":"drama"},{"year":{"$gt":2010}}]}""", false)]
    [InlineData("""{"$or":[{"genre":"comedy"},{"year":2004}]}""", true)]
    [InlineData("""{"$or":[{"genre":"comedy"},{"year":2005}]}""", false)]
    [InlineData("""{"$not":{"genre":"comedy"}}""", true)]
    [InlineData("""{"$not":{"genre":"drama"}}""", false)]
    [InlineData("""{"$not":{"$or":[{"genre":"comedy"},{"adult":true}]}}""", true)]
    [InlineData("""{"$or":[{"$and":[{"genre":"drama"},{"adult":true}]},{"$not":{"rating":{"$lt":7}}}]}""", true)]
    [InlineData("""{"$or":[{"$and":[{"genre":"drama"},{"adult":true}]},{"$not":{"rating":{"$gt":7}}}]}""", false)]
    [InlineData("""{"genre":"drama","$or":[{"year":1999},{"author.name":"Ann"}]}""", true)]
    [InlineData("""{"genre":"drama","$or":[{"year":1999},{"author.name":"Bob"}]}""", false)]
    [InlineData("""{"$and":[{}],"genre":"drama"}""", true)]
    [InlineData("""{"$or":[{},{"genre":"comedy"}]}""", true)]
    [InlineData("""{"$not":{}}""", false)]
    [InlineData("""{"$or":[{"$not":{}},{"genre":"drama"}]}""", true)]
    public void LogicalOperators_CombineAsDocumented(string filter, bool expected)
    {
        Assert.Equal(expected, Evaluate(filter, Movie));
    }

    [Fact]
    public void NullUndefinedAndEmptyFilters_MatchEverything()
    {
        using var empty = JsonDocument.Parse("{}");
        using var jsonNull = JsonDocument.Parse("null");
        using var metadata = JsonDocument.Parse(Movie);

        foreach (var filter in new[] { default, empty.RootElement, jsonNull.RootElement })
        {
            var compiled = CompiledFilter.Compile(filter);
            Assert.True(compiled.MatchesAll);
            Assert.True(compiled.Matches(metadata.RootElement));
            Assert.True(compiled.Matches(default));
        }

        Assert.False(Compile("""{"genre":"drama"}""").MatchesAll);
        Assert.False(Compile("""{"$not":{}}""").MatchesAll);
    }

    [Fact]
    public void CompiledFilter_OutlivesTheDocumentItWasCompiledFrom()
    {
        CompiledFilter compiled;
        using (var document = JsonDocument.Parse("""{"author.name":{"$in":["Bob","Ann"]},"rating":{"$gt":"7"}}"""))
        {
            compiled = CompiledFilter.Compile(document.RootElement);
        }

        Assert.False(Evaluate(compiled, Movie));
        Assert.True(Evaluate(compiled, """{"author":{"name":"Ann"},"rating":"8"}"""));
    }

    [Fact]
    public void StringRanges_OrderByCodePoint_EvenWhenTheStoredStringIsEscaped()
    {
        var compiled = Compile("""{"s":{"$gt":"\uFB01","$lt":"\uD83D\uDE00"}}""");

        Assert.True(Evaluate(compiled, """{"s":"\uFFFD"}"""));
        Assert.True(Evaluate(compiled, "{\"s\":\"\uFFFD\"}"));
        Assert.False(Evaluate(compiled, """{"s":"\uD83D\uDE01"}"""));
        Assert.False(Evaluate(compiled, """{"s":"a"}"""));
    }

    [Fact]
    public void StringRanges_OnAnUnpairedSurrogateEscape_DoNotMatchInEitherDirection()
    {
        const string metadata = """{"s":"x\uD800"}""";

        Assert.False(Evaluate("""{"s":{"$gt":"a"}}""", metadata));
        Assert.False(Evaluate("""{"s":{"$lte":"a"}}""", metadata));
        Assert.True(Evaluate("""{"s":{"$exists":true}}""", metadata));
    }

    [Fact]
    public void Matches_AfterWarmUp_AllocatesNothing()
    {
        var compiled = Compile(
            """{"$or":[{"genre":{"$in":["comedy","drama"]},"year":{"$gte":2000}},{"author.name":{"$gt":"A"}}],"tags":{"$nin":["z"]},"plot":{"$gt":"a"}}""");
        using var document = JsonDocument.Parse(Movie);
        var root = document.RootElement;
        Assert.True(compiled.Matches(root));

        var matched = 0;
        var allocated = Allocations.FewestBytes(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                matched += compiled.Matches(root) ? 1 : 0;
            }
        });

        Assert.Equal(5000, matched);
        Assert.Equal(0, allocated);
    }

    internal static CompiledFilter Compile(string filter, int maxDepth = Limits.MaxFilterDepth)
    {
        using var document = JsonDocument.Parse(filter);
        return CompiledFilter.Compile(document.RootElement, maxDepth);
    }

    private static bool Evaluate(string filter, string metadata) => Evaluate(Compile(filter), metadata);

    private static bool Evaluate(CompiledFilter filter, string metadata)
    {
        using var document = JsonDocument.Parse(metadata);
        return filter.Matches(document.RootElement);
    }
}
