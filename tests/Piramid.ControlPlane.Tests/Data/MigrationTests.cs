using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Tests.Support;

namespace Piramid.ControlPlane.Tests.Data;

[Collection(PostgresCollection.Name)]
public sealed class MigrationTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Migrate_CreatesTheModel_AndIsRepeatable()
    {
        var (_, connectionString) = await postgres.CreateMigratedDatabaseAsync();
        await ControlPlaneDatabase.MigrateAsync(connectionString);

        await using var db = new ControlPlaneDbContext(ControlPlaneDatabase.Configure(new DbContextOptionsBuilder<ControlPlaneDbContext>(), connectionString).Options);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(["free", "standard"], await db.Plans.OrderBy(p => p.Id).Select(p => p.Id).ToListAsync());
        db.Tenants.Add(new Tenant { Id = "t_1", Name = "acme", PlanId = "free", Status = TenantStatus.Active });
        db.ApiKeys.Add(new ApiKey { Id = "k1", TenantId = "t_1", Name = "ci", Role = "read_only", SecretHash = new byte[32], Collections = ["docs"] });
        await db.SaveChangesAsync();

        await using var again = new ControlPlaneDbContext(ControlPlaneDatabase.Configure(new DbContextOptionsBuilder<ControlPlaneDbContext>(), connectionString).Options);
        var key = await again.ApiKeys.SingleAsync();
        Assert.Equal(["docs"], key.Collections);
        Assert.Equal(TenantStatus.Active, (await again.Tenants.SingleAsync()).Status);
        Assert.Contains("api_keys", await postgres.Server.DumpAsync((await again.Database.SqlQueryRaw<string>("select current_database() as \"Value\"").SingleAsync())), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanLimits_GiveExistingPlans_OperatorsOwnToo_TheValuesOfTheOptionsTheyReplace()
    {
        var name = "mig_" + Guid.NewGuid().ToString("N")[..12];
        var connectionString = await postgres.Server.CreateDatabaseAsync(name);
        await using var db = new ControlPlaneDbContext(ControlPlaneDatabase.Configure(new DbContextOptionsBuilder<ControlPlaneDbContext>(), connectionString).Options);
        await db.GetService<IMigrator>().MigrateAsync("20261205230828_EngineIsolation");
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO plans (id, name, max_collections, max_points, max_storage_bytes, max_dimension, read_rate_per_second,
                               read_burst, write_rate_per_second, write_burst, monthly_read_units, monthly_write_units, updated_at)
            VALUES ('custom', 'Custom', 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, now())
            """);

        await ControlPlaneDatabase.MigrateAsync(connectionString);

        var plans = await db.Plans.AsNoTracking().OrderBy(p => p.Id).ToListAsync();
        Assert.Equal(["custom", "free", "standard"], plans.Select(p => p.Id));
        Assert.All(plans, p => Assert.Equal(
            (PlanDefaults.MaxRequestsInFlight, PlanDefaults.EngineMemoryBytes, PlanDefaults.AuditRetentionDays),
            (p.MaxRequestsInFlight, p.EngineMemoryBytes, p.AuditRetentionDays)));
        Assert.Equal((64, 2L << 30, 365), (PlanDefaults.MaxRequestsInFlight, PlanDefaults.EngineMemoryBytes, PlanDefaults.AuditRetentionDays));
    }
}
