using Microsoft.EntityFrameworkCore;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Operations;

public sealed partial class OperationRunner
{
    /// <summary>
    /// Fails (or puts back to pending, when the handler can resume) every running operation whose owner is dead:
    /// its heartbeat is older than StaleAfter, or its owner was a process of this host that no longer exists (or an
    /// earlier instance in this very process), which is known at once without waiting for the heartbeat to age.
    /// </summary>
    private async Task RecoverAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        var now = time.GetUtcNow();
        var others = await db.Operations.AsNoTracking()
            .Where(o => o.State == OperationStates.Running && o.Owner != Owner)
            .Select(o => new { o.Id, o.Kind, o.Owner, o.HeartbeatAt })
            .ToListAsync(ct);
        if (others.Count == 0)
        {
            return;
        }

        var handlers = scope.ServiceProvider.GetServices<IOperationHandler>().ToList();
        var resumable = handlers.Where(h => h.CanResume).Select(h => h.Kind).ToHashSet();
        foreach (var op in others.Where(o => o.HeartbeatAt is null || now - o.HeartbeatAt > _options.StaleAfter || IsDeadLocalOwner(o.Owner)))
        {
            var rows = db.Operations.Where(o => o.Id == op.Id && o.Owner == op.Owner && o.State == OperationStates.Running);
            if (resumable.Contains(op.Kind))
            {
                if (await rows.ExecuteUpdateAsync(s => s.SetProperty(o => o.State, OperationStates.Pending).SetProperty(o => o.Owner, (string?)null), ct) > 0)
                {
                    Resumed(logger, op.Id, op.Owner ?? "");
                }

                continue;
            }

            var handler = handlers.FirstOrDefault(h => h.Kind == op.Kind);
            var detail = handler?.InterruptedDetail
                ?? $"The control plane running this {op.Kind} stopped before it finished; nothing of it was applied. Start it again.";
            var error = OperationProblems.ToJson(ProblemCatalog.ServiceUnavailable, detail);
            if (await rows.ExecuteUpdateAsync(s => s.SetProperty(o => o.State, OperationStates.Failed).SetProperty(o => o.Error, error)
                    .SetProperty(o => o.FinishedAt, now), ct) > 0)
            {
                Abandoned(logger, op.Id, op.Owner ?? "");
                await CleanUpAsync(handler, op.Id, ct);
            }
        }
    }

    /// <summary>The handler's clean-up of a dead run, bounded so that an unreachable dependency does not hold up this round.</summary>
    private async Task CleanUpAsync(IOperationHandler? handler, string id, CancellationToken ct)
    {
        if (handler is null)
        {
            return;
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(_options.StaleAfter);
        try
        {
            await handler.AbandonedAsync(id, bounded.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            CleanUpFailed(logger, id, e);
        }
    }

    /// <summary>True when <paramref name="owner"/> names a process of this host that is gone, or an earlier runner of this process.</summary>
    private bool IsDeadLocalOwner(string? owner)
    {
        var parts = owner?.Split(':');
        if (parts is not { Length: 3 } || parts[0] != Environment.MachineName || !int.TryParse(parts[1], out var pid))
        {
            return false;
        }

        if (pid == Environment.ProcessId)
        {
            return owner != Owner;
        }

        // Another live process of this host may be another control plane: its heartbeat decides. /proc exists on Linux only.
        return OperatingSystem.IsLinux() && !Directory.Exists($"/proc/{pid}");
    }
}
