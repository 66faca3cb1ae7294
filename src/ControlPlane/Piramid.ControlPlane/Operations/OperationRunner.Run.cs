using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Piramid.Contracts.Json;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Operations;

public sealed partial class OperationRunner
{
    private async Task RunAsync(Operation operation, CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetServices<IOperationHandler>().FirstOrDefault(h => h.Kind == operation.Kind);
        if (handler is null)
        {
            await FinishAsync(operation.Id, OperationStates.Failed, null,
                OperationProblems.ToJson(ProblemCatalog.Internal, $"No handler runs operations of kind '{operation.Kind}'."), null);
            return;
        }

        // A backup, export or import uses the tenant's engine from start to end: it must not hibernate in between.
        using var awake = scope.ServiceProvider.GetService<Orchestration.IEngineOrchestrator>()?.KeepAwake(operation.TenantId, Orchestration.EngineHoldKind.Use);
        var context = new OperationContext(operation, scope.ServiceProvider);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var pumpStop = new CancellationTokenSource();
        var pump = PumpAsync(context, run, pumpStop.Token);
        Started(logger, operation.Id, operation.Kind, operation.TenantId, operation.Attempts);
        string state;
        string? result = null;
        string? error = null;
        try
        {
            await handler.RunAsync(context, run.Token);
            state = OperationStates.Succeeded;
            result = context.Result is null ? null : JsonSerializer.Serialize(context.Result, context.Result.GetType(), WireJson.Options);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // This control plane is stopping: a resumable operation waits for the next one, any other fails now
            // rather than at the next start, so nobody polls a dead operation.
            state = handler.CanResume ? OperationStates.Pending : OperationStates.Failed;
            error = handler.CanResume ? null : Interrupted(handler);
        }
        catch (OperationCanceledException) when (run.IsCancellationRequested)
        {
            // The pump lost the ownership: another runner decided about this operation.
            LostOwnership(logger, operation.Id);
            return;
        }
        catch (ProblemException e)
        {
            state = OperationStates.Failed;
            error = OperationProblems.ToJson(e);
        }
        catch (Exception e)
        {
            HandlerFailed(logger, operation.Id, operation.Kind, e);
            state = OperationStates.Failed;
            error = OperationProblems.ToJson(ProblemCatalog.Internal, $"The {operation.Kind} failed unexpectedly; the control plane's log has the cause (operation {operation.Id}).");
        }
        finally
        {
            await pumpStop.CancelAsync();
            await pump;
        }

        await FinishAsync(operation.Id, state, context.Progress(), error, result);
        Finished(logger, operation.Id, state);
    }

    /// <summary>Writes progress at most every ProgressInterval and heartbeats every HeartbeatInterval until stopped.</summary>
    private async Task PumpAsync(OperationContext context, CancellationTokenSource run, CancellationToken stop)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        using var timer = new PeriodicTimer(_options.ProgressInterval, time);
        var lastBeat = time.GetUtcNow();
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var now = time.GetUtcNow();
                var progress = context.TakeProgress();
                var beat = now - lastBeat >= _options.HeartbeatInterval;
                if (progress is null && !beat)
                {
                    continue;
                }

                var (percent, bytes, points) = progress ?? context.Progress();
                int owned;
                try
                {
                    owned = await db.Operations
                        .Where(o => o.Id == context.Id && o.Owner == Owner && o.State == OperationStates.Running)
                        .ExecuteUpdateAsync(s => s.SetProperty(o => o.HeartbeatAt, now).SetProperty(o => o.Percent, percent)
                            .SetProperty(o => o.Bytes, bytes).SetProperty(o => o.Points, points), stop);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A missed beat is not fatal: StaleAfter allows several.
                    HeartbeatFailed(logger, context.Id, e);
                    continue;
                }

                lastBeat = now;
                if (owned == 0)
                {
                    await run.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task FinishAsync(string id, string state, (double Percent, long Bytes, long Points)? progress, string? error, string? result)
    {
        // Not cancellable: the outcome is written even while the host stops.
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        var now = time.GetUtcNow();
        var (percent, bytes, points) = progress ?? (0, 0, 0);
        var rows = db.Operations.Where(o => o.Id == id && o.Owner == Owner && o.State == OperationStates.Running);
        if (state == OperationStates.Pending)
        {
            await rows.ExecuteUpdateAsync(s => s.SetProperty(o => o.State, state).SetProperty(o => o.Owner, (string?)null));
            return;
        }

        await rows.ExecuteUpdateAsync(s => s
            .SetProperty(o => o.State, state)
            .SetProperty(o => o.Percent, state == OperationStates.Succeeded ? 100 : percent)
            .SetProperty(o => o.Bytes, bytes)
            .SetProperty(o => o.Points, points)
            .SetProperty(o => o.Error, error)
            .SetProperty(o => o.Result, result)
            .SetProperty(o => o.FinishedAt, now)
            .SetProperty(o => o.HeartbeatAt, now));
    }

    private static string Interrupted(IOperationHandler handler) => OperationProblems.ToJson(ProblemCatalog.ServiceUnavailable,
        handler.InterruptedDetail ?? "The control plane running this operation stopped before it finished; nothing of it was applied. Start it again.");
}
