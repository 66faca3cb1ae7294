using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Piramid.Contracts.Admin;
using Piramid.ControlPlane.Auditing;
using Piramid.ControlPlane.Backups;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Orchestration;
using Piramid.Gateway.Tests.Support;
using Piramid.ServiceDefaults;
using Piramid.TestKit.Platform;

namespace Piramid.Gateway.Tests.Hibernation;

/// <summary>
/// The control plane's own periodic reads of an engine (audit anchors, WAL archiving) neither keep it from hibernating
/// nor wake it, and a hibernation that cannot be recorded leaves the engine running and supervised; real AOT engines,
/// PostgreSQL and the gateway on loopback.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class BackgroundUseTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task AnIdleEngine_Hibernates_WhileTheAnchorServiceReadsItMoreOftenThanItsIdlePeriod()
    {
        // Anchors every second against a 3 s idle period: production's ratio is 5 min against plans of 15 min or less.
        await using var platform = await Sleepers.StartAsync(postgres, TimeSpan.FromMilliseconds(200),
            controlPlaneSettings: new Dictionary<string, string?> { ["AuditExport:AnchorInterval"] = "00:00:01" });
        var (tenantId, _) = await Sleepers.TenantAsync(platform, "anchored", idleSeconds: 3);

        await Sleepers.WaitHibernatedAsync(platform, tenantId, Within);
        Assert.True(await AnchorsAsync(platform, tenantId) > 0, "the anchor service read the engine while it ran");

        // Asleep, it stays asleep: anchor rounds pass over it instead of waking it.
        var starts = Sleepers.ReadyStarts(platform, tenantId);
        var rounds = platform.ControlPlane.App.Services.GetRequiredService<TimeProvider>().GetUtcNow() + TimeSpan.FromSeconds(3);
        while (platform.ControlPlane.App.Services.GetRequiredService<TimeProvider>().GetUtcNow() < rounds)
        {
            Assert.Equal(RouteStates.Hibernating, await Sleepers.EngineStateAsync(platform, tenantId));
            await Task.Delay(100);
        }

        Assert.Equal(starts, Sleepers.ReadyStarts(platform, tenantId));
    }

    [Fact]
    public async Task AnIdleEngine_WithARecoveryWindow_Hibernates_WhileTheWalArchiverPollsIt()
    {
        // The archiver polls a tenant with a recovery window every 5 s (the default), more often than its 8 s idle period.
        await using var platform = await Sleepers.StartAsync(postgres, TimeSpan.FromMilliseconds(200));
        var (tenantId, _) = await Sleepers.TenantAsync(platform, "archived", idleSeconds: 8, pitrWindowHours: 1);

        await Sleepers.WaitHibernatedAsync(platform, tenantId, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task BackgroundReads_OfAHibernatedEngine_AreRefusedWithoutWakingIt_WhileAUsersReadWakesIt()
    {
        await using var platform = await Sleepers.StartAsync(postgres, TimeSpan.FromMilliseconds(200));
        var (tenantId, key) = await Sleepers.TenantAsync(platform, "undisturbed", idleSeconds: 1);
        using (var client = platform.Client(key))
        {
            (await client.PutAsJsonAsync("/v1/collections/docs", new { dimension = 4 })).EnsureSuccessStatusCode();
            (await client.PostAsJsonAsync("/v1/collections/docs/points", Sleepers.Points(["a", "b"]))).EnsureSuccessStatusCode();
        }

        await Sleepers.WaitHibernatedAsync(platform, tenantId, Within);
        var starts = Sleepers.ReadyStarts(platform, tenantId);
        var audit = platform.ControlPlane.App.Services.GetRequiredService<EngineAuditClient>();
        var backups = platform.ControlPlane.App.Services.GetRequiredService<EngineBackupClient>();

        // What the sink, the anchor service and the WAL archiver do, each in its background flow.
        using (EngineHolds.Background())
        {
            await Assert.ThrowsAsync<ProblemException>(() => audit.ReadAsync(tenantId, 0, 10, CancellationToken.None));
            await Assert.ThrowsAsync<ProblemException>(() => backups.ArchiveStatusAsync(tenantId, CancellationToken.None));
        }

        Assert.Equal(RouteStates.Hibernating, await Sleepers.EngineStateAsync(platform, tenantId));
        Assert.Equal(starts, Sleepers.ReadyStarts(platform, tenantId));
        Assert.Empty(Sleepers.EngineProcesses(platform, tenantId));

        var page = await audit.ReadAsync(tenantId, 0, 10, CancellationToken.None);
        Assert.NotEmpty(page.Entries);
        Assert.Equal(starts + 1, Sleepers.ReadyStarts(platform, tenantId));
    }

    [Fact]
    public async Task AHibernationThatCannotBeRecorded_LeavesTheEngineRoutedAndSupervised_AndALaterRoundHibernatesIt()
    {
        await using var platform = await Sleepers.StartAsync(postgres, TimeSpan.FromMilliseconds(200));
        // Recording a hibernation fails while table test_refusing exists (attempts counted by a sequence, which a
        // rollback does not undo); in place before the tenant, so its engine cannot hibernate first.
        await SqlAsync(platform, """
            CREATE SEQUENCE test_refused_states;
            CREATE TABLE test_refusing ();
            CREATE FUNCTION test_refuse_state() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW.state = 'Hibernating' AND EXISTS (SELECT 1 FROM pg_class WHERE relname = 'test_refusing') THEN
                PERFORM nextval('test_refused_states');
                RAISE EXCEPTION 'injected: the engine record cannot change';
              END IF;
              RETURN NEW;
            END $$;
            CREATE TRIGGER test_refuse_state BEFORE UPDATE ON engines FOR EACH ROW EXECUTE FUNCTION test_refuse_state();
            """);
        var (tenantId, _) = await Sleepers.TenantAsync(platform, "unrecorded", idleSeconds: 1);
        var orchestrator = platform.ControlPlane.App.Services.GetRequiredService<IEngineOrchestrator>();

        // A second refused attempt means the first left the engine supervised, running and due.
        // (Each attempt withdraws the route while it tries to record the state, so the route is looked for, not caught.)
        await WaitAsync(async () => await RefusedAsync(platform) >= 2, "a second hibernation attempt after the first failed");
        Assert.Single(Sleepers.EngineProcesses(platform, tenantId));
        await WaitAsync(() => Task.FromResult(orchestrator.GetRoute(tenantId) is not null), "the engine routed again after a refused attempt");

        await SqlAsync(platform, "DROP TABLE test_refusing");
        await Sleepers.WaitHibernatedAsync(platform, tenantId, Within);
    }

    private static async Task<int> AnchorsAsync(PlatformHost platform, string tenantId)
    {
        await using var scope = platform.ControlPlane.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        return await db.AuditAnchors.CountAsync(a => a.TenantId == tenantId);
    }

    private static async Task SqlAsync(PlatformHost platform, string sql)
    {
        await using var scope = platform.ControlPlane.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        await db.Database.ExecuteSqlRawAsync(sql);
    }

    private static async Task<long> RefusedAsync(PlatformHost platform)
    {
        await using var scope = platform.ControlPlane.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        return await db.Database.SqlQueryRaw<long>("SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS \"Value\" FROM test_refused_states").SingleAsync();
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Within;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"never: {what} within {Within}");
            await Task.Delay(50);
        }
    }
}
