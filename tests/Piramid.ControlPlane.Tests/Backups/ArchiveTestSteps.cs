using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Piramid.ControlPlane.Backups;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Orchestration;

namespace Piramid.ControlPlane.Tests.Backups;

/// <summary>Steps the log-archive tests share: archiving passes on demand, engine restarts, targets between writes.</summary>
internal static class ArchiveTestSteps
{
    /// <summary>Settings that leave archiving passes to the test (<see cref="ArchivePassAsync"/>).</summary>
    public static Dictionary<string, string?> PassesOnDemand() => new()
    {
        ["Backups:ArchiveInterval"] = "01:00:00",
        ["Backups:ScheduleInterval"] = "01:00:00",
    };

    /// <summary>Runs one archiving pass of the tenant now, as the archiver's timer would; returns the segments stored.</summary>
    public static Task<int> ArchivePassAsync(BackupFixture f) =>
        f.Host.App.Services.GetRequiredService<WalArchiver>().ArchiveTenantAsync(f.Tenant, CancellationToken.None);

    /// <summary>A clean stop (the engine checkpoints every collection) and a start.</summary>
    public static async Task RestartEngineAsync(BackupFixture f)
    {
        var orchestrator = f.Host.App.Services.GetRequiredService<IEngineOrchestrator>();
        await orchestrator.StopAsync(f.Tenant, CancellationToken.None);
        await orchestrator.StartAsync(f.Tenant, CancellationToken.None);
    }

    /// <summary>The collection id the archive records for the live collection <paramref name="name"/>.</summary>
    public static async Task<string> CollectionIdAsync(BackupFixture f, string name)
    {
        var status = await f.Host.App.Services.GetRequiredService<EngineBackupClient>().ArchiveStatusAsync(f.Tenant, CancellationToken.None);
        return status.Collections.Single(c => c.Collection == name).CollectionId;
    }

    public static async Task<T> WithDbAsync<T>(BackupFixture f, Func<ControlPlaneDbContext, Task<T>> read)
    {
        await using var scope = f.Host.App.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>());
    }

    public static Task<Piramid.ControlPlane.Data.Entities.WalArchiveCollection> ArchiveRowAsync(BackupFixture f, string collectionId) =>
        WithDbAsync(f, db => db.WalArchiveCollections.AsNoTracking().SingleAsync(c => c.TenantId == f.Tenant && c.CollectionId == collectionId));

    // Append times are kept to the millisecond: a target that is a whole millisecond already over splits writes cleanly.
    public static async Task<DateTimeOffset> WholeMillisecondPassedAsync()
    {
        var target = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        while (DateTimeOffset.UtcNow < target + TimeSpan.FromMilliseconds(2))
        {
            await Task.Yield();
        }

        return target;
    }

    public static Task<int> OperationCountAsync(BackupFixture f) =>
        WithDbAsync(f, db => db.Operations.CountAsync(o => o.TenantId == f.Tenant));
}
