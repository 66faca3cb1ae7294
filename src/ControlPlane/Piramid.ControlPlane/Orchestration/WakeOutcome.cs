namespace Piramid.ControlPlane.Orchestration;

/// <summary>What a wake found or did.</summary>
public enum WakeResult
{
    /// <summary>The engine runs (it was woken, or already ran): the route is given.</summary>
    Running,

    /// <summary>The tenant has no engine.</summary>
    NoEngine,

    /// <summary>The engine is stopped on purpose (suspended tenant): a request does not start it.</summary>
    Stopped,

    /// <summary>The engine did not become ready (the supervisor keeps restarting it).</summary>
    NotReady,
}

/// <summary>The result of <see cref="IEngineOrchestrator.WakeAsync"/>.</summary>
/// <param name="Result">What happened.</param>
/// <param name="Route">The running engine's route, with <see cref="WakeResult.Running"/>.</param>
public sealed record WakeOutcome(WakeResult Result, EngineRoute? Route);
