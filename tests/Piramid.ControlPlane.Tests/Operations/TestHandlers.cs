using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Operations;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Tests.Operations;

/// <summary>What the test handlers wait on and tell: one per host.</summary>
internal sealed class HandlerGate
{
    public TaskCompletionSource Reported { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Runs;
}

/// <summary>Reports half-way, waits for the test, then succeeds with a result naming its input.</summary>
internal sealed class GatedHandler(HandlerGate gate) : IOperationHandler
{
    public const string KindName = "test-gated";

    public string Kind => KindName;

    public async Task RunAsync(OperationContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref gate.Runs);
        context.Report(50, 1234, 56);
        gate.Reported.TrySetResult();
        await gate.Release.Task.WaitAsync(cancellationToken);
        context.Result = new { echo = context.Request.GetProperty("word").GetString(), attempt = context.Attempt };
    }
}

/// <summary>Fails with a problem of the catalogue.</summary>
internal sealed class FailingHandler : IOperationHandler
{
    public const string KindName = "test-failing";

    public string Kind => KindName;

    public Task RunAsync(OperationContext context, CancellationToken cancellationToken) =>
        throw new ProblemException(ProblemCatalog.InvalidRequest, "Object 'tenants/x/backups/y/a.ckpt' is corrupted.");
}

/// <summary>A handler that may be started again after its owner died.</summary>
internal sealed class ResumableHandler : IOperationHandler
{
    public const string KindName = "test-resumable";

    public string Kind => KindName;

    public bool CanResume => true;

    public Task RunAsync(OperationContext context, CancellationToken cancellationToken)
    {
        context.Result = new { attempt = context.Attempt };
        return Task.CompletedTask;
    }
}
