using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using Piramid.ControlPlane.Auditing;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit.Time;

namespace Piramid.ControlPlane.Tests.AuditSinks;

/// <summary>
/// With an audit sink, the retention sweep removes a tenant's events past its plan's retention only once the sink's
/// cursor is at or past them; without a sink, retention applies as before.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RetentionGatedOnExportTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task EventsPastRetention_AreKeptUntilTheSinkDeliveredThem()
    {
        // Sinks looked at once an hour and forbidden to reach loopback: the host's own delivery cannot move the cursor.
        await using var host = await ControlPlaneHost.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["AuditSinks:PollInterval"] = "01:00:00",
        });
        await using var scope = host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        db.Plans.Add(new Plan { Id = "sink-audit", Name = "Sink audit", AuditRetentionDays = 30 });
        db.Tenants.AddRange(
            new Tenant { Id = "t_sink", Name = "sink", PlanId = "sink-audit", Status = TenantStatus.Active, CreatedAt = Now, UpdatedAt = Now },
            new Tenant { Id = "t_nosink", Name = "nosink", PlanId = "sink-audit", Status = TenantStatus.Active, CreatedAt = Now, UpdatedAt = Now });
        var old = Enumerable.Range(0, 3).Select(i => Event($"sink.old{i}", "t_sink", Now - TimeSpan.FromDays(40 - i))).ToList();
        db.AuditEvents.AddRange(old);
        db.AuditEvents.AddRange(Event("sink.new", "t_sink", Now - TimeSpan.FromDays(1)), Event("nosink.old", "t_nosink", Now - TimeSpan.FromDays(40)));
        await db.SaveChangesAsync();
        db.AuditSinks.Add(new AuditSinkRecord { TenantId = "t_sink", Kind = "syslog", Host = "127.0.0.1", Port = 9, ControlCursor = old[0].LogSeq, CreatedAt = Now, UpdatedAt = Now });
        await db.SaveChangesAsync();

        var clock = new ManualClock(Now);
        await Sweep(scope, clock, TimeSpan.FromDays(30)).RunAsync(CancellationToken.None);
        Assert.Equal(["sink.new", "sink.old1", "sink.old2"], await ActionsAsync(db, "t_sink")); // old0 was delivered; old1 and old2 wait
        Assert.Empty(await ActionsAsync(db, "t_nosink")); // no sink: retention as before

        // The sink takes the rest: the next sweep removes them.
        await db.AuditSinks.Where(s => s.TenantId == "t_sink").ExecuteUpdateAsync(u => u.SetProperty(s => s.ControlCursor, old[2].LogSeq));
        await Sweep(scope, clock, TimeSpan.FromDays(30)).RunAsync(CancellationToken.None);
        Assert.Equal(["sink.new"], await ActionsAsync(db, "t_sink"));
    }

    [Fact]
    public async Task AnUnreachableSink_KeepsEventsOnlyForTheGrace_ThenAGapEventNamesWhatWasDeleted()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["AuditSinks:PollInterval"] = "01:00:00",
        });
        await using var scope = host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        db.Plans.Add(new Plan { Id = "sink-grace", Name = "Sink grace", AuditRetentionDays = 30 });
        db.Tenants.Add(new Tenant { Id = "t_sink", Name = "sink", PlanId = "sink-grace", Status = TenantStatus.Active, CreatedAt = Now, UpdatedAt = Now });
        var pastGrace = Event("sink.past_grace", "t_sink", Now - TimeSpan.FromDays(45)); // retention 30 + grace 7 < 45
        var inGrace = Event("sink.in_grace", "t_sink", Now - TimeSpan.FromDays(35));
        db.AuditEvents.AddRange(pastGrace, inGrace);
        await db.SaveChangesAsync();
        // The sink never delivered anything (its host unreachable): its cursor stays at 0.
        db.AuditSinks.Add(new AuditSinkRecord { TenantId = "t_sink", Kind = "syslog", Host = "192.0.2.1", Port = 514, CreatedAt = Now, UpdatedAt = Now });
        await db.SaveChangesAsync();

        await Sweep(scope, new ManualClock(Now)).RunAsync(CancellationToken.None);
        Assert.Equal(["sink.in_grace"], await ActionsAsync(db, "t_sink"));
        var gap = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.TenantId == "t_sink" && e.Action == RetentionSweep.SinkGapAction);
        var after = System.Text.Json.Nodes.JsonNode.Parse(gap.After!)!;
        Assert.Equal(1, (long)after["deleted_undelivered"]!);
        Assert.Equal(pastGrace.LogSeq, (long)after["first_position"]!);
        Assert.Equal(pastGrace.LogSeq, (long)after["last_position"]!);
        Assert.NotNull(gap.ChainSeq); // chained like any event, and delivered to the sink next

        // The sink's state shows it: GET .../audit/sink counts the events lost and says when.
        var admin = await host.ClientAsync(host.Operator);
        var state = (await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/v1/tenants/t_sink/audit/sink"))!;
        Assert.Equal(1, (long)state["gap_events"]!);
        Assert.Equal(Now, (DateTimeOffset)state["last_gap_at"]!);
    }

    [Fact]
    public async Task AuthFailuresPastTheCap_AreFoldedOnlyOnceTheSinkHasThem_OrOnceTheGraceIsOver()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["AuditSinks:PollInterval"] = "01:00:00",
        });
        await using var scope = host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        db.Plans.Add(new Plan { Id = "sink-fold", Name = "Sink fold", AuditRetentionDays = 30 });
        db.Tenants.Add(new Tenant { Id = "t_sink", Name = "sink", PlanId = "sink-fold", Status = TenantStatus.Active, CreatedAt = Now, UpdatedAt = Now });
        var hour = new DateTimeOffset(2026, 6, 15, 10, 0, 0, TimeSpan.Zero);
        var recent = Failures(hour, 150);
        db.AuditEvents.AddRange(recent);
        await db.SaveChangesAsync();
        // Ten days old (past the 7-day grace) and after the cursor: folded although the sink never got them.
        var pastGrace = hour - TimeSpan.FromDays(10);
        db.AuditEvents.AddRange(Failures(pastGrace, 110));
        await db.SaveChangesAsync();
        // The sink has the first 120 refusals of the recent period.
        db.AuditSinks.Add(new AuditSinkRecord { TenantId = "t_sink", Kind = "syslog", Host = "192.0.2.1", Port = 514, ControlCursor = recent[119].LogSeq, CreatedAt = Now, UpdatedAt = Now });
        await db.SaveChangesAsync();
        var options = new RetentionOptions { AuthFailuresPerPeriod = 100, SinkGrace = TimeSpan.FromDays(7) };

        var first = await Sweep(scope, new ManualClock(Now), options).RunAsync(CancellationToken.None);

        // Rows 101..120 were delivered and are folded; 121..150 wait for the sink, each kept as it is.
        Assert.Equal(20 + 10, first.AuthFailuresAggregated);
        Assert.Equal((130, 20L), await PeriodAsync(db, hour));
        Assert.Equal(recent.Skip(120).Select(e => e.Id), await RowIdsAsync(db, hour, recent[119].LogSeq));
        Assert.Equal((100, 10L), await PeriodAsync(db, pastGrace));

        // The sink takes them: the next sweep folds them too.
        await db.AuditSinks.Where(s => s.TenantId == "t_sink").ExecuteUpdateAsync(u => u.SetProperty(s => s.ControlCursor, long.MaxValue));
        Assert.Equal(30, (await Sweep(scope, new ManualClock(Now), options).RunAsync(CancellationToken.None)).AuthFailuresAggregated);
        Assert.Equal((100, 50L), await PeriodAsync(db, hour));
    }

    private static List<AuditEvent> Failures(DateTimeOffset start, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new AuditEvent
        {
            Time = start + TimeSpan.FromSeconds(i),
            Actor = "gateway",
            Action = RetentionSweep.AuthFailed,
            TargetType = "api_key",
            TargetId = "k",
            TenantId = "t_sink",
            After = """{"reason":"invalid"}""",
        })];

    // (individual rows, aggregated count) of t_sink's hour starting at `start`.
    private static async Task<(int Rows, long Folded)> PeriodAsync(ControlPlaneDbContext db, DateTimeOffset start)
    {
        var end = start + TimeSpan.FromHours(1);
        var rows = await db.AuditEvents.CountAsync(e => e.TenantId == "t_sink" && e.Action == RetentionSweep.AuthFailed && e.Time >= start && e.Time < end);
        var folded = await db.AuditEvents.AsNoTracking()
            .Where(e => e.TenantId == "t_sink" && e.Action == RetentionSweep.AuthFailedAggregated && e.Time == start)
            .Select(e => e.After).SingleOrDefaultAsync();
        return (rows, folded is null ? 0 : System.Text.Json.JsonDocument.Parse(folded).RootElement.GetProperty("count").GetInt64());
    }

    private static Task<List<long>> RowIdsAsync(ControlPlaneDbContext db, DateTimeOffset start, long after) =>
        db.AuditEvents.AsNoTracking()
            .Where(e => e.TenantId == "t_sink" && e.Action == RetentionSweep.AuthFailed && e.Time >= start && e.Time < start + TimeSpan.FromHours(1) && e.LogSeq > after)
            .OrderBy(e => e.Id).Select(e => e.Id).ToListAsync();

    private static Task<List<string>> ActionsAsync(ControlPlaneDbContext db, string tenant) =>
        db.AuditEvents.AsNoTracking().Where(e => e.TenantId == tenant && (e.Action.StartsWith("sink.") || e.Action.StartsWith("nosink."))).Select(e => e.Action).OrderBy(a => a).ToListAsync();

    // A grace longer than the first test's ages (40 days, retention 30): there the cursor alone decides.
    private static RetentionSweep Sweep(AsyncServiceScope scope, TimeProvider clock, TimeSpan? grace = null) =>
        Sweep(scope, clock, new RetentionOptions { SinkGrace = grace ?? TimeSpan.FromDays(7) });

    private static RetentionSweep Sweep(AsyncServiceScope scope, TimeProvider clock, RetentionOptions options) => new(
        scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>(),
        scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>(),
        scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>(),
        Options.Create(options),
        clock);

    private static AuditEvent Event(string action, string tenantId, DateTimeOffset time) =>
        new() { Time = time, Actor = "test", Action = action, TargetType = "tenant", TargetId = tenantId, TenantId = tenantId };
}
