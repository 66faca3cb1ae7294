using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Piramid.ControlPlane.Backups;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Operations;
using Piramid.ControlPlane.Tests.Support;

namespace Piramid.ControlPlane.Tests.Backups;

/// <summary>
/// The janitor's sweep of restore staging areas forgets those of tenants whose engine is not running (suspended or
/// deleted: nothing to reach, and an engine removes every staging area when it starts) instead of retrying them, with a
/// warning, every schedule round forever.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RestoreStagingSweepTests(PostgresFixture postgres)
{
    [Theory]
    [InlineData(TenantStatus.Suspended)]
    [InlineData(TenantStatus.Deleted)]
    public async Task StagingOfATenantWithoutARunningEngine_IsForgotten_NotRetriedForever(TenantStatus status)
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        await using var scope = host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        var now = DateTimeOffset.UtcNow;
        db.Tenants.Add(new Tenant { Id = "t_asleep", Name = "asleep", PlanId = "free", Status = status, CreatedAt = now, UpdatedAt = now });
        db.Operations.Add(new Operation { Id = "op_restore", TenantId = "t_asleep", Kind = OperationKinds.Restore, State = OperationStates.Failed, CreatedAt = now, EngineRestoreId = "r_left" });
        await db.SaveChangesAsync();

        var staging = scope.ServiceProvider.GetRequiredService<RestoreStaging>();
        Assert.Equal(1, await staging.SweepAsync(CancellationToken.None));
        Assert.Null(await db.Operations.AsNoTracking().Where(o => o.Id == "op_restore").Select(o => o.EngineRestoreId).SingleAsync());
        Assert.Equal(0, await staging.SweepAsync(CancellationToken.None));
    }
}
