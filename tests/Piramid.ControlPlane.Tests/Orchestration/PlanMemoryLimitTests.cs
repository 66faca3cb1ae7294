using System.Globalization;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Tests.Support;
using Xunit.Abstractions;
using static Piramid.ControlPlane.Tests.Orchestration.OrchestrationEnvironment;

namespace Piramid.ControlPlane.Tests.Orchestration;

/// <summary>An engine's heap limit is its tenant's plan's <c>engine_memory_bytes</c>, at start and after a plan change.</summary>
[Collection(PostgresCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PlanMemoryLimitTests(PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Engine_StartsWithItsPlansHeapLimit_AndRestartsWithTheNewOneWhenThePlanChanges()
    {
        await using var env = await CreateAsync(postgres, output);
        await using var controlPlane = await env.StartControlPlaneAsync();
        var (tenant, _) = await env.SeedTenantAsync("t_heap");
        Plan plan;
        await using (var db = env.CreateDbContext())
        {
            plan = db.Plans.Add(new Plan
            {
                Id = "small-heap",
                Name = "Small heap",
                MaxCollections = 10,
                MaxPoints = 100_000,
                MaxDimension = 1536,
                MaxStorageBytes = 1L << 30,
                EngineMemoryBytes = 96L << 20,
            }).Entity;
            (await db.Tenants.FindAsync(tenant.Id))!.PlanId = plan.Id;
            await db.SaveChangesAsync();
        }

        var route = await controlPlane.Contract.ProvisionAsync(tenant, plan, CancellationToken.None);
        var pid = (await env.EngineRowAsync(tenant.Id))!.ProcessId!.Value;
        Assert.Equal("6000000", HeapLimitOf(pid)); // 96 MiB in hex, as the Native AOT runtime reads it
        using (var http = Client(route))
        {
            await WritePointsAsync(http, "docs", 5, seed: 5); // the engine serves within that heap
        }

        plan.EngineMemoryBytes = 160L << 20;
        await controlPlane.Contract.ApplyPlanAsync(tenant.Id, plan, CancellationToken.None);
        var restarted = (await env.EngineRowAsync(tenant.Id))!.ProcessId!.Value;
        Assert.NotEqual(pid, restarted);
        Assert.Equal("A000000", HeapLimitOf(restarted));
    }

    private static string? HeapLimitOf(int pid)
    {
        const string Name = "DOTNET_GCHeapHardLimit=";
        var environ = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/environ");
        Assert.True(environ.Length > 0, "empty environ: wrong process");
        return environ.Split('\0').SingleOrDefault(v => v.StartsWith(Name, StringComparison.Ordinal))?[Name.Length..];
    }
}
