using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Operations;
using Piramid.ControlPlane.Orchestration;

namespace Piramid.ControlPlane.Backups;

/// <summary>
/// Every <see cref="BackupScheduleOptions.ScheduleInterval"/>: starts the scheduled backups that are due (a tenant
/// whose plan sets <c>backup_interval_hours</c>, whose engine runs or hibernates, whose newest backup is older than the interval and
/// that has no backup under way), then applies retention (<see cref="BackupRetention"/>). Each round first removes the
/// leftovers of backups whose control plane died (<see cref="BackupJanitor"/>). The first round comes an interval after
/// start: a restart adds no round, and a test host's own round never races the one a test runs itself.
/// </summary>
public sealed partial class BackupScheduler(
    IServiceScopeFactory scopes, IEngineOrchestrator orchestrator, IOptions<BackupScheduleOptions> options, TimeProvider time, ILogger<BackupScheduler> logger)
    : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ScheduleInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<BackupJanitor>().RunAsync(stoppingToken);
                await StartDueAsync(scope.ServiceProvider, stoppingToken);
                await scope.ServiceProvider.GetRequiredService<BackupRetention>().RunAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                RoundFailed(logger, e);
            }
        }
    }

    /// <summary>Creates the scheduled backups that are due; returns their tenants.</summary>
    public async Task<IReadOnlyList<string>> StartDueAsync(IServiceProvider services, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(services);
        var db = services.GetRequiredService<ControlPlaneDbContext>();
        // A hibernating engine is due like a running one: its backup wakes it (docs/design/hibernation.md, "Backups").
        var running = orchestrator.GetRoutes().Where(r => r.State == EngineState.Running)
            .Concat(orchestrator.GetHibernatingRoutes()).Select(r => r.TenantId).ToList();
        var now = time.GetUtcNow();
        var candidates = await db.Tenants.AsNoTracking()
            .Where(t => running.Contains(t.Id) && t.Status == TenantStatus.Active && t.Plan!.BackupIntervalHours != null)
            .Select(t => new
            {
                t.Id,
                Interval = t.Plan!.BackupIntervalHours!.Value,
                Newest = db.Backups.Where(b => b.TenantId == t.Id && b.State != BackupStates.Failed).Max(b => (DateTimeOffset?)b.CreatedAt),
                Busy = db.Operations.Any(o => o.TenantId == t.Id && o.Kind == OperationKinds.Backup
                    && (o.State == OperationStates.Pending || o.State == OperationStates.Running)),
            })
            .ToListAsync(ct);
        var due = candidates.Where(c => !c.Busy && (c.Newest is null || now - c.Newest >= TimeSpan.FromHours(c.Interval))).Select(c => c.Id).ToList();
        var backups = services.GetRequiredService<BackupService>();
        foreach (var tenant in due)
        {
            var operation = await backups.CreateAsync(tenant, null, scheduled: true, ct);
            Scheduled(logger, tenant, operation.Id);
        }

        return due;
    }

    [LoggerMessage(EventId = 5601, Level = LogLevel.Information, Message = "Scheduled backup of tenant {Tenant} started (operation {Operation})")]
    private static partial void Scheduled(ILogger logger, string tenant, string operation);

    [LoggerMessage(EventId = 5602, Level = LogLevel.Warning, Message = "Backup schedule round failed; retrying next round")]
    private static partial void RoundFailed(ILogger logger, Exception exception);
}
