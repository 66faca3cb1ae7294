using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Operations;

/// <summary>
/// Runs pending operations: claims one at a time with <c>FOR UPDATE SKIP LOCKED</c> (several control planes may share
/// the database), runs the handler of its kind, heartbeats and writes progress while it runs, and records the
/// outcome. Operations whose owner died are failed visibly, or put back to pending when their handler can resume
/// (docs/design/backups.md, "Operations"). Every write after the claim is conditional on still being the owner, so a
/// runner that was presumed dead cannot overwrite what another decided.
/// </summary>
public sealed partial class OperationRunner(
    IServiceScopeFactory scopes,
    IOptions<OperationsOptions> options,
    OperationSignal signal,
    TimeProvider time,
    ILogger<OperationRunner> logger) : BackgroundService
{
    private readonly OperationsOptions _options = options.Value;

    /// <summary>This instance's owner id: host, process id and a random part (a restart in the same process is another owner).</summary>
    public string Owner { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(_options.MaxConcurrent, _options.MaxConcurrent);
        var running = new List<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RecoverAsync(stoppingToken);
                    while (await slots.WaitAsync(0, stoppingToken))
                    {
                        var claimed = await ClaimAsync(stoppingToken);
                        if (claimed is null)
                        {
                            slots.Release();
                            break;
                        }

                        running.Add(RunAndReleaseAsync(claimed, slots, stoppingToken));
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The database was away: the next round tries again; nothing was claimed half-way.
                    RoundFailed(logger, e);
                }

                running.RemoveAll(t => t.IsCompleted);
                await signal.WaitAsync(_options.PollInterval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(running);
    }

    private async Task RunAndReleaseAsync(Operation operation, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(operation, stoppingToken);
        }
        finally
        {
            slots.Release();
            signal.Signal();
        }
    }

    /// <summary>Claims the oldest pending operation, or returns null.</summary>
    private async Task<Operation?> ClaimAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        var now = time.GetUtcNow();
        var rows = await db.Operations.FromSql($"""
            UPDATE operations SET state = 'running', owner = {Owner}, started_at = coalesce(started_at, {now}),
                heartbeat_at = {now}, attempts = attempts + 1
            WHERE id = (SELECT id FROM operations WHERE state = 'pending' ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING *
            """).AsNoTracking().ToListAsync(ct);
        return rows.SingleOrDefault();
    }
}
