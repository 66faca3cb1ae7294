using System.Text.Json;
using Piramid.Engine.Filtering;

namespace Piramid.Engine.Tests.Filtering;

public sealed class CompiledFilterTests
{
    private const string Doc = """
        {"genre":"drama","year":2004,"rating":4.5,"adult":false,"note":null,
         "tags":["a","b"],"scores":[1,5,9],"author":{"name":"Ann","born":1970}}
        """;

    [Theory]
    [InlineData("""{"genre":"drama"}""", true)]
    [InlineData("""{"genre":"comedy"}""", false)]
    [InlineData("""{"year":2004.0}""", true)]
    [InlineData("""{"year":{"$gte":2000,"$lt":2010}}""", true)]
    [InlineData("""{"year":{"$gt":2004}}""", false)]
    [InlineData("""{"year":{"$lte":2004}}""", true)]
    [InlineData("""{"genre":{"$gt":"comedy"}}""", true)]
    [InlineData("""{"year":{"$gt":"1999"}}""", false)]
    [InlineData("""{"adult":false}""", true)]
    [InlineData("""{"note":null}""", true)]
    [InlineData("""{"note":{"$exists":true}}""", true)]
    [InlineData("""{"missing":{"$exists":false}}""", true)]
    [InlineData("""{"missing":{"$exists":true}}""", false)]
    [InlineData("""{"missing":{"$ne":1}}""", true)]
    [InlineData("""{"missing":{"$nin":[1]}}""", true)]
    [InlineData("""{"missing":1}""", false)]
    [InlineData("""{"tags":"a"}""", true)]
    [InlineData("""{"tags":{"$in":["x","b"]}}""", true)]
    [InlineData("""{"tags":{"$nin":["b"]}}""", false)]
    [InlineData("""{"tags":{"$ne":"c"}}""", true)]
    [InlineData("""{"scores":{"$gt":8}}""", true)]
    [InlineData("""{"scores":{"$gt":9}}""", false)]
    [InlineData("""{"author.name":"Ann"}""", true)]
    [InlineData("""{"author.born":{"$lt":1980}}""", true)]
    [InlineData("""{"author.name.first":"Ann"}""", false)]
    [InlineData("""{"$and":[{"genre":"drama"},{"year":2004}]}""", true)]
    [InlineData("""{"$and":[{"genre":"drama"},{"year":2005}]}""", false)]
    [InlineData("""{"$or":[{"genre":"comedy"},{"year":2004}]}""", true)]
    [InlineData("""{"$or":[{"genre":"comedy"},{"year":2005}]}""", false)]
    [InlineData("""{"$not":{"genre":"comedy"}}""", true)]
    [InlineData("""{"$not":{"genre":"drama"}}""", false)]
    [InlineData("""{"genre":"drama","year":2005}""", false)]
    [InlineData("""{"year":{"$gt":2000,"$lt":2003}}""", false)]
    [InlineData("""{"rating":{"$in":[4.5,3]}}""", true)]
    [InlineData("""{}""", true)]
    public void Matches_FollowsMongoSemantics(string filter, bool expected)
    {
        using var f = JsonDocument.Parse(filter);
        using var doc = JsonDocument.Parse(Doc);
        Assert.Equal(expected, CompiledFilter.Compile(f.RootElement).Matches(doc.RootElement));
    }

    [Fact]
    public void Matches_PointWithoutMetadata_OnlyNegativeConditionsMatch()
    {
        Assert.True(Compile("""{"genre":{"$ne":"x"}}""").Matches(default));
        Assert.False(Compile("""{"genre":"x"}""").Matches(default));
    }

    [Fact]
    public void Compile_NullOrEmpty_MatchesAll()
    {
        Assert.True(CompiledFilter.Compile(default).MatchesAll);
        Assert.True(Compile("{}").MatchesAll);
        Assert.False(Compile("""{"a":1}""").MatchesAll);
    }

    [Theory]
    [InlineData("""[1]""", "filter: must be a JSON object")]
    [InlineData("""{"year":{"$gtx":3}}""", "filter.year.$gtx: unknown operator '$gtx'")]
    [InlineData("""{"$and":[{"a":1},{"year":{"$foo":1}}]}""", "filter.$and[1].year.$foo")]
    [InlineData("""{"$and":{}}""", "filter.$and: must be a non-empty array")]
    [InlineData("""{"$or":[]}""", "filter.$or: must be a non-empty array")]
    [InlineData("""{"$not":[1]}""", "filter.$not: must be a JSON object")]
    [InlineData("""{"$xor":[]}""", "unknown logical operator '$xor'")]
    [InlineData("""{"tags":{"$in":"a"}}""", "'$in' needs an array")]
    [InlineData("""{"a":{"$exists":1}}""", "'$exists' needs true or false")]
    [InlineData("""{"a":{"$gt":true}}""", "'$gt' needs a number or a string")]
    [InlineData("""{"a":{"$eq":[1]}}""", "filter.a.$eq: needs a string")]
    [InlineData("""{"a":{}}""", "at least one of")]
    [InlineData("""{"a":{"b":1}}""", "dotted path")]
    [InlineData("""{"a..b":1}""", "must not be empty")]
    [InlineData("""{"a":[1,2]}""", "filter.a: needs a string")]
    public void Compile_Malformed_NamesTheBadPart(string filter, string expected)
    {
        var e = Assert.Throws<FilterException>(() => Compile(filter));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_DepthAndConditionLimits_AreEnforced()
    {
        var ok = """{"a":1}""";
        for (var i = 0; i < 15; i++)
        {
            ok = "{\"$not\":" + ok + "}";
        }

        Compile(ok); // depth 16
        Assert.Contains("depth", Assert.Throws<FilterException>(() => Compile("{\"$not\":" + ok + "}")).Message, StringComparison.Ordinal);

        var many = "{" + string.Join(",", Enumerable.Range(0, 1001).Select(i => $"\"f{i}\":1")) + "}";
        Assert.Contains("1000 conditions", Assert.Throws<FilterException>(() => Compile(many)).Message, StringComparison.Ordinal);
    }

    private static CompiledFilter Compile(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return CompiledFilter.Compile(doc.RootElement.Clone());
    }
}
