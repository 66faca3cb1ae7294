namespace Piramid.ControlPlane.Operations;

/// <summary>
/// Does the work of one kind of operation. Registered scoped with <c>AddOperationHandler&lt;T&gt;()</c>; the runner
/// makes a scope per run. Throw a <c>ProblemException</c> to fail with that problem; anything else fails it with an
/// internal problem (the cause goes to the log).
/// </summary>
public interface IOperationHandler
{
    /// <summary>The kind it runs (<see cref="OperationKinds"/>).</summary>
    string Kind { get; }

    /// <summary>
    /// True when a run that was cut off (its control plane died) may be started again from the beginning: the
    /// runner then puts it back to pending instead of failing it. False by default.
    /// </summary>
    bool CanResume => false;

    /// <summary>
    /// What a run that was cut off (its control plane died) left behind, for the problem the operation fails with;
    /// null means nothing of it was applied.
    /// </summary>
    string? InterruptedDetail => null;

    /// <summary>
    /// Called after the runner failed an operation whose run was cut off (its control plane died), to undo what the run
    /// left outside the database. An exception is logged and the operation stays failed. Nothing by default.
    /// </summary>
    Task AbandonedAsync(string operationId, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs it; report progress through <paramref name="context"/>.</summary>
    Task RunAsync(OperationContext context, CancellationToken cancellationToken);
}
