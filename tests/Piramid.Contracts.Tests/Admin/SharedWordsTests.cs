using Piramid.Contracts.Admin;

namespace Piramid.Contracts.Tests.Admin;

public sealed class SharedWordsTests
{
    [Fact]
    public void ChangeKinds_AreDistinctLowerCaseWords()
    {
        Assert.Equal(["key", "tenant", "route", "plan", "member"], ChangeKinds.All);
    }

    [Fact]
    public void RouteStates_AreDistinctLowerCaseWords_AndIncludeRunning()
    {
        Assert.Equal(RouteStates.All.Count, RouteStates.All.Distinct(StringComparer.Ordinal).Count());
        Assert.All(RouteStates.All, s => Assert.Matches("^[a-z]+$", s));
        Assert.Contains(RouteStates.Running, RouteStates.All);
    }

    [Fact]
    public void ActorHeader_IsAPiramidHeader()
    {
        // The gateway strips every client-sent X-Piramid-* header; the actor header must be one of them.
        Assert.StartsWith("X-Piramid-", HeaderNames.Actor, StringComparison.Ordinal);
    }
}
