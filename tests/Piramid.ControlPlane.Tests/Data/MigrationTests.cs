using Microsoft.EntityFrameworkCore;
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
}
