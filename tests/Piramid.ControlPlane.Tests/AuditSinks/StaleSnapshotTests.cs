using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Piramid.ControlPlane.Auditing.Sinks;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit.Platform;
using Piramid.TestKit.Time;

namespace Piramid.ControlPlane.Tests.AuditSinks;

/// <summary>
/// A delivery step that starts from a snapshot of the sink read before another run recorded its progress (the
/// service reads the sinks, then an earlier run finishes, then the new run starts) never moves the stored cursor back,
/// and goes on from the stored cursor. Real PostgreSQL, a loopback TCP receiver, the control plane's own delivery step.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StaleSnapshotTests(PostgresFixture postgres)
{
    private const string TenantId = "t_stale";

    [Fact]
    public async Task AStepFromAnOlderSnapshot_DoesNotMoveTheCursorBack()
    {
        await using var host = await StartAsync();
        await using var receiver = new SinkFrameReceiver();
        await using var scope = host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        await SetUpAsync(db, receiver.Port, events: 8);
        var clock = new ManualClock(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1));

        var fresh = await SnapshotAsync(db);
        var stale = await SnapshotAsync(db);
        Assert.True(await StepAsync(host, clock, fresh));
        await StepAsync(host, clock, fresh);
        var reached = await StoredCursorAsync(db);
        Assert.Equal(await TopAsync(db), reached);

        // The stale run re-reads (and re-sends: at least once) its first batch; the cursor stays where it was.
        await StepAsync(host, clock, stale);
        Assert.Equal(reached, await StoredCursorAsync(db));
        Assert.Equal(reached, stale.ControlCursor);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task AnyInterleavingOfSnapshotsStepsAndWrites_KeepsTheCursorMonotonic_AndDeliversEverything(int seed)
    {
        await using var host = await StartAsync();
        await using var receiver = new SinkFrameReceiver();
        await using var scope = host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        await SetUpAsync(db, receiver.Port, events: 6);
        var clock = new ManualClock(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1));
        var random = new Random(seed);
        var snapshots = new List<AuditSinkRecord> { await SnapshotAsync(db) };
        var highest = 0L;
        for (var i = 0; i < 40; i++)
        {
            switch (random.Next(3))
            {
                case 0:
                    snapshots.Add(await SnapshotAsync(db));
                    break;
                case 1:
                    await StepAsync(host, clock, snapshots[random.Next(snapshots.Count)]);
                    break;
                default:
                    await AddEventsAsync(db, random.Next(1, 4));
                    clock.Advance(TimeSpan.FromSeconds(1));
                    break;
            }

            var cursor = await StoredCursorAsync(db);
            Assert.True(cursor >= highest, $"seed {seed}, action {i}: the cursor moved back from {highest} to {cursor}");
            highest = cursor;
        }

        // A fresh run drains the rest: every event arrived (at least once) and the cursor reached the end.
        var last = await SnapshotAsync(db);
        for (var step = 0; step < 50 && await StepAsync(host, clock, last); step++)
        {
            // A full batch went: more may be waiting.
        }

        Assert.Equal(await TopAsync(db), await StoredCursorAsync(db));
        var ids = await db.AuditEvents.AsNoTracking().Where(e => e.TenantId == TenantId).Select(e => e.Id).OrderBy(id => id).ToListAsync();
        Assert.Equal(ids, receiver.Messages.Select(m => (long)m["id"]!).Distinct().Order());
    }

    private Task<ControlPlaneHost> StartAsync() => ControlPlaneHost.StartAsync(postgres, new Dictionary<string, string?>
    {
        // The host's own rounds stay out of the way (one at start, before any sink): the tests run the steps.
        ["AuditSinks:PollInterval"] = "01:00:00",
        ["AuditSinks:SettleDelay"] = "00:00:05",
        ["AuditSinks:BatchSize"] = "4",
        ["AuditSinks:AllowPrivateAddresses"] = "true",
    });

    // One delivery step from the given snapshot, as the service runs it.
    private static async Task<bool> StepAsync(ControlPlaneHost host, TimeProvider clock, AuditSinkRecord sink)
    {
        await using var scope = host.App.Services.CreateAsyncScope();
        var delivery = ActivatorUtilities.CreateInstance<AuditSinkDelivery>(scope.ServiceProvider, clock);
        var full = await delivery.RunOnceAsync(sink, CancellationToken.None);
        Assert.Null(sink.LastError);
        return full;
    }

    private static Task<AuditSinkRecord> SnapshotAsync(ControlPlaneDbContext db) =>
        db.AuditSinks.AsNoTracking().SingleAsync(s => s.TenantId == TenantId);

    private static Task<long> StoredCursorAsync(ControlPlaneDbContext db) =>
        db.AuditSinks.AsNoTracking().Where(s => s.TenantId == TenantId).Select(s => s.ControlCursor).SingleAsync();

    private static Task<long> TopAsync(ControlPlaneDbContext db) =>
        db.AuditEvents.AsNoTracking().Where(e => e.TenantId == TenantId).MaxAsync(e => e.LogSeq);

    private static async Task SetUpAsync(ControlPlaneDbContext db, int port, int events)
    {
        var now = DateTimeOffset.UtcNow;
        db.Plans.Add(new Plan { Id = "stale-plan", Name = "Stale plan", AuditRetentionDays = 30 });
        db.Tenants.Add(new Tenant { Id = TenantId, Name = "stale", PlanId = "stale-plan", Status = TenantStatus.Active, CreatedAt = now, UpdatedAt = now });
        await db.SaveChangesAsync();
        await AddEventsAsync(db, events);
        db.AuditSinks.Add(new AuditSinkRecord { TenantId = TenantId, Kind = "syslog", Host = "127.0.0.1", Port = port, CreatedAt = now, UpdatedAt = now });
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
    }

    private static async Task AddEventsAsync(ControlPlaneDbContext db, int count)
    {
        for (var i = 0; i < count; i++)
        {
            db.AuditEvents.Add(new AuditEvent
            {
                Time = DateTimeOffset.UtcNow,
                Actor = "test",
                Action = "stale.write",
                TargetType = "tenant",
                TargetId = TenantId,
                TenantId = TenantId,
            });
            await db.SaveChangesAsync();
        }

        db.ChangeTracker.Clear();
    }
}
