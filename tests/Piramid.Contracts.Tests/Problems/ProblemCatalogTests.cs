using System.Reflection;
using Piramid.Contracts.Problems;

namespace Piramid.Contracts.Tests.Problems;

/// <summary>The catalogue is the one home of problem kinds: unique types, one title each, every type URI covered.</summary>
public sealed class ProblemCatalogTests
{
    [Fact]
    public void EveryEntry_HasAUniqueStableTypeATitleAndAnErrorStatus()
    {
        Assert.Equal(ProblemCatalog.All.Count, ProblemCatalog.All.Select(k => k.Type).Distinct(StringComparer.Ordinal).Count());
        foreach (var kind in ProblemCatalog.All)
        {
            Assert.StartsWith(ProblemTypes.Base, kind.Type, StringComparison.Ordinal);
            Assert.Matches("^[a-z]+(-[a-z]+)*$", kind.Type[ProblemTypes.Base.Length..]);
            Assert.False(string.IsNullOrWhiteSpace(kind.Title), kind.Type);
            Assert.InRange(kind.Status, 400, 599);
        }
    }

    [Fact]
    public void AllListsEveryPublicEntry_AndEveryTypeConstantHasOne()
    {
        var fields = typeof(ProblemCatalog).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(ProblemKind)).Select(f => (ProblemKind)f.GetValue(null)!).ToList();
        Assert.Equal(fields.OrderBy(k => k.Type), ProblemCatalog.All.OrderBy(k => k.Type));

        var constants = typeof(ProblemTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name != nameof(ProblemTypes.Base)).Select(f => (string)f.GetRawConstantValue()!);
        Assert.Equal(constants.Order(StringComparer.Ordinal), ProblemCatalog.All.Select(k => k.Type).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(400, ProblemTypes.InvalidRequest)]
    [InlineData(404, ProblemTypes.NotFound)]
    [InlineData(405, ProblemTypes.MethodNotAllowed)]
    [InlineData(414, ProblemTypes.UriTooLong)]
    [InlineData(418, ProblemTypes.InvalidRequest)]
    [InlineData(503, ProblemTypes.ServiceUnavailable)]
    [InlineData(505, ProblemTypes.HttpVersionNotSupported)]
    [InlineData(599, ProblemTypes.Internal)]
    public void ForStatus_GivesEachStatusItsOwnType(int status, string type) =>
        Assert.Equal(type, ProblemCatalog.ForStatus(status).Type);

    [Fact]
    public void ForStatus_OfAnEntrysStatus_HasThatStatus()
    {
        foreach (var kind in ProblemCatalog.All)
        {
            Assert.Equal(kind.Status, ProblemCatalog.ForStatus(kind.Status).Status);
            Assert.Same(kind, ProblemCatalog.FindByType(kind.Type));
        }

        Assert.Null(ProblemCatalog.FindByType("https://tools.ietf.org/html/rfc9110#section-15.5.5"));
    }
}
