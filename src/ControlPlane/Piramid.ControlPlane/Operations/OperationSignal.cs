namespace Piramid.ControlPlane.Operations;

/// <summary>Wakes the <see cref="OperationRunner"/> of this process when a request creates an operation, so it need not wait for its next poll.</summary>
public sealed class OperationSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    /// <summary>Wakes the runner (idempotent until it wakes).</summary>
    public void Signal()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up claims everything pending.
        }
    }

    /// <inheritdoc />
    public void Dispose() => _signal.Dispose();

    /// <summary>Waits for a signal or <paramref name="timeout"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, time, cts.Token);
        var signalled = _signal.WaitAsync(cts.Token);
        await Task.WhenAny(delay, signalled);
        await cts.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }
}
