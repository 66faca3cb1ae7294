using Piramid.Contracts.Admin;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Orchestration;

namespace Piramid.ControlPlane.Tests.Orchestration;

public sealed class EngineStateNamesTests
{
    [Fact]
    public void EveryEngineState_HasItsOwnRouteState_AndEveryRouteStateIsUsed()
    {
        var names = Enum.GetValues<EngineState>().Select(s => s.ToRouteState()).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(RouteStates.All.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
        Assert.Equal(RouteStates.Running, EngineState.Running.ToRouteState());
    }
}
