using Piramid.Contracts.Admin;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Orchestration;

/// <summary>How an <see cref="EngineState"/> is spelled on the wire (<see cref="RouteStates"/>).</summary>
internal static class EngineStateNames
{
    /// <summary>The wire name; a new state without one fails here, not silently in the gateway.</summary>
    public static string ToRouteState(this EngineState state) => state switch
    {
        EngineState.Provisioning => RouteStates.Provisioning,
        EngineState.Starting => RouteStates.Starting,
        EngineState.Running => RouteStates.Running,
        EngineState.Crashed => RouteStates.Crashed,
        EngineState.Stopped => RouteStates.Stopped,
        EngineState.Hibernating => RouteStates.Hibernating,
        EngineState.Waking => RouteStates.Waking,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "An engine state without a wire name."),
    };
}
