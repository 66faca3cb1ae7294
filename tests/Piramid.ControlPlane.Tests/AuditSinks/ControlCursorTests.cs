using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Piramid.ControlPlane.Auditing.Sinks;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Tests.Support;
using Piramid.ControlPlane.Usage;
using Piramid.TestKit.Platform;
using Piramid.TestKit.Time;

namespace Piramid.ControlPlane.Tests.AuditSinks;

/// <summary>
/// The sinks' control cursor and the paged API's continuation are control log positions, which commit in order: with
/// several tenants (ids and chain sequences apart), with auth.failed events stamped with an old time, and with a
/// transaction held open past the settle delay, every control event of the tenant is delivered (and paged) exactly
/// once and none is skipped. Real PostgreSQL, a loopback TCP receiver, the control plane's own delivery step.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ControlCursorTests(PostgresFixture postgres)
{
    [Fact]
    public async Task WithTwoTenants_EveryEventOfTheSinksTenantArrivesOnce_AndTheCursorReachesTheEnd()
    {
        await using var host = await StartAsync();
        await using var receiver = new SinkFrameReceiver();
        await using var scope = host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        await TenantsAsync(db);
        for (var i = 0; i < 10; i++)
        {
            // One save each, alternating: the tenants' row ids interleave, so ids and chain sequences differ.
            db.AuditEvents.Add(Event("t_other", $"other.{i}", DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
            db.AuditEvents.Add(Event("t_sink", $"sink.{i}", DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        }

        await AddSinkAsync(db, receiver.Port);
        var clock = new ManualClock(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1));
        for (var round = 0; round < 3; round++)
        {
            await RoundAsync(host, clock);
        }

        var expected = await IdsAsync(db, "t_sink");
        Assert.Equal(expected, receiver.Messages.Select(m => (long)m["id"]!).Order());
        var sink = await db.AuditSinks.AsNoTracking().SingleAsync(s => s.TenantId == "t_sink");
        Assert.Equal(0, sink.Backlog);
        Assert.Equal(await db.AuditEvents.Where(e => e.TenantId == "t_sink").MaxAsync(e => e.LogSeq), sink.ControlCursor);
    }

    [Fact]
    public async Task AnAuthFailureWithAnOldTime_DoesNotMakeAnUnsettledEventBeSkipped()
    {
        await using var host = await StartAsync();
        await using var receiver = new SinkFrameReceiver();
        await using var scope = host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        await TenantsAsync(db);
        await AddSinkAsync(db, receiver.Port);
        var clock = new ManualClock(DateTimeOffset.UtcNow);

        // X is younger than the settle delay; the auth.failed event after it carries the time the gateway last saw it.
        db.AuditEvents.Add(Event("t_sink", "sink.x", clock.GetUtcNow()));
        await db.SaveChangesAsync();
        db.AuditEvents.Add(Event("t_sink", "auth.failed", clock.GetUtcNow() - TimeSpan.FromHours(1)));
        await db.SaveChangesAsync();

        await RoundAsync(host, clock);
        clock.Advance(TimeSpan.FromSeconds(30));
        await RoundAsync(host, clock);

        Assert.Equal(await IdsAsync(db, "t_sink"), receiver.Messages.Select(m => (long)m["id"]!).Order());
    }

    [Fact]
    public async Task AnEventCommittedLateOnASecondConnection_IsDeliveredAndPagedOnce_WithNoGap()
    {
        await using var host = await StartAsync();
        await using var receiver = new SinkFrameReceiver();
        await using var scope = host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        var log = scope.ServiceProvider.GetRequiredService<AuditLog>();
        await TenantsAsync(db);
        db.AuditEvents.Add(Event("t_sink", "sink.before", DateTimeOffset.UtcNow));
        await db.SaveChangesAsync();
        await AddSinkAsync(db, receiver.Port);
        // Past any settle delay: under a time filter the held event would be old enough to be passed.
        var clock = new ManualClock(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1));

        // X (an auth.failed event, which is not chained) is inserted and its transaction held open on a second connection.
        await using var heldScope = host.App.Services.CreateAsyncScope();
        var held = heldScope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        await using var transaction = await held.Database.BeginTransactionAsync();
        held.AuditEvents.Add(Event("t_sink", "auth.failed", DateTimeOffset.UtcNow));
        await held.SaveChangesAsync();

        // Y and Z follow on a third connection: either they commit now (ids after X's) or they wait for X's commit.
        var writing = Task.Run(async () =>
        {
            await using var writerScope = host.App.Services.CreateAsyncScope();
            var writer = writerScope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
            writer.AuditEvents.Add(Event("t_sink", "sink.y", DateTimeOffset.UtcNow));
            await writer.SaveChangesAsync();
            writer.AuditEvents.Add(Event("t_sink", "sink.z", DateTimeOffset.UtcNow));
            await writer.SaveChangesAsync();
        });
        await WaitCommittedOrBlockedAsync(db, writing);

        // A sink round and a client paging one event at a time, both while X is still open.
        await RoundAsync(host, clock);
        var paged = new List<long>();
        var resume = await PageAllAsync(log, null, paged);

        await transaction.CommitAsync();
        await writing;
        await RoundAsync(host, clock);
        await PageAllAsync(log, resume, paged);

        var all = await IdsAsync(db, "t_sink");
        Assert.Equal(all, receiver.Messages.Select(m => (long)m["id"]!).Order());
        // The client resumes from the last cursor it was given (re-reading that page): every event seen, none skipped.
        Assert.Equal(all, paged.Distinct().Order());
    }

    private Task<ControlPlaneHost> StartAsync() => ControlPlaneHost.StartAsync(postgres, new Dictionary<string, string?>
    {
        // The host's own rounds stay out of the way (one at start, before any sink): the tests run the steps.
        ["AuditSinks:PollInterval"] = "01:00:00",
        ["AuditSinks:SettleDelay"] = "00:00:05",
        ["AuditSinks:BatchSize"] = "4",
        ["AuditSinks:AllowPrivateAddresses"] = "true",
    });

    // One round of the service: the sink as stored, delivered step by step until a step is not full.
    private static async Task RoundAsync(ControlPlaneHost host, TimeProvider clock)
    {
        await using var scope = host.App.Services.CreateAsyncScope();
        var sink = await scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>().AuditSinks.AsNoTracking().SingleAsync(s => s.TenantId == "t_sink");
        var delivery = ActivatorUtilities.CreateInstance<AuditSinkDelivery>(scope.ServiceProvider, clock);
        for (var step = 0; step < 50 && await delivery.RunOnceAsync(sink, CancellationToken.None); step++)
        {
            // A full batch went: more may be waiting.
        }

        Assert.Null(sink.LastError);
    }

    // Pages of one event from `cursor` to the end; returns the last cursor given (where a tailing client resumes).
    private static async Task<string?> PageAllAsync(AuditLog log, string? cursor, List<long> seen)
    {
        var filter = new AuditFilter(null, null, "control", null, null);
        while (true)
        {
            var page = await log.PageAsync("t_sink", filter, cursor, 1, CancellationToken.None);
            seen.AddRange(page.Events.Select(e => e.Id));
            if (page.NextCursor is null)
            {
                return cursor;
            }

            cursor = page.NextCursor;
        }
    }

    private static async Task WaitCommittedOrBlockedAsync(ControlPlaneDbContext db, Task writing)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            while (!writing.IsCompleted)
            {
                await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
                if ((long)(await command.ExecuteScalarAsync())! > 0)
                {
                    return;
                }

                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the writer neither committed nor waited for a lock");
                await Task.Delay(10);
            }

            await writing;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task TenantsAsync(ControlPlaneDbContext db)
    {
        var now = DateTimeOffset.UtcNow;
        db.Plans.Add(new Plan { Id = "cursor-plan", Name = "Cursor plan", AuditRetentionDays = 30 });
        db.Tenants.AddRange(
            new Tenant { Id = "t_sink", Name = "sink", PlanId = "cursor-plan", Status = TenantStatus.Active, CreatedAt = now, UpdatedAt = now },
            new Tenant { Id = "t_other", Name = "other", PlanId = "cursor-plan", Status = TenantStatus.Active, CreatedAt = now, UpdatedAt = now });
        await db.SaveChangesAsync();
    }

    private static async Task AddSinkAsync(ControlPlaneDbContext db, int port)
    {
        var now = DateTimeOffset.UtcNow;
        db.AuditSinks.Add(new AuditSinkRecord { TenantId = "t_sink", Kind = "syslog", Host = "127.0.0.1", Port = port, CreatedAt = now, UpdatedAt = now });
        await db.SaveChangesAsync();
    }

    private static Task<List<long>> IdsAsync(ControlPlaneDbContext db, string tenant) =>
        db.AuditEvents.AsNoTracking().Where(e => e.TenantId == tenant).Select(e => e.Id).OrderBy(id => id).ToListAsync();

    private static AuditEvent Event(string tenant, string action, DateTimeOffset time) =>
        new() { Time = time, Actor = "test", Action = action, TargetType = "tenant", TargetId = tenant, TenantId = tenant };
}
