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
            ["Logging:LogLevel:Piramid.ControlPlane.Auditing.RetentionService"] = "Debug",
            ["AuditSinks:PollInterval"] = "01:00:00",
        });
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!host.Logs.Text.Contains("Retention sweep removed", StringComparison.Ordinal))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "the host's start sweep did not run"); // it would use the real clock
            await Task.Delay(20);
        }

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
        db.AuditSinks.Add(new AuditSinkRecord { TenantId = "t_sink", Kind = "syslog", Host = "127.0.0.1", Port = 9, ControlCursor = old[0].Id, CreatedAt = Now, UpdatedAt = Now });
        await db.SaveChangesAsync();

        var clock = new ManualClock(Now);
        await Sweep(scope, clock).RunAsync(CancellationToken.None);
        Assert.Equal(["sink.new", "sink.old1", "sink.old2"], await ActionsAsync(db, "t_sink")); // old0 was delivered; old1 and old2 wait
        Assert.Empty(await ActionsAsync(db, "t_nosink")); // no sink: retention as before

        // The sink takes the rest: the next sweep removes them.
        await db.AuditSinks.Where(s => s.TenantId == "t_sink").ExecuteUpdateAsync(u => u.SetProperty(s => s.ControlCursor, old[2].Id));
        await Sweep(scope, clock).RunAsync(CancellationToken.None);
        Assert.Equal(["sink.new"], await ActionsAsync(db, "t_sink"));
    }

    private static Task<List<string>> ActionsAsync(ControlPlaneDbContext db, string tenant) =>
        db.AuditEvents.AsNoTracking().Where(e => e.TenantId == tenant && (e.Action.StartsWith("sink.") || e.Action.StartsWith("nosink."))).Select(e => e.Action).OrderBy(a => a).ToListAsync();

    private static RetentionSweep Sweep(AsyncServiceScope scope, TimeProvider clock) => new(
        scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>(),
        scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>(),
        scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>(),
        Options.Create(new RetentionOptions()),
        clock);

    private static AuditEvent Event(string action, string tenantId, DateTimeOffset time) =>
        new() { Time = time, Actor = "test", Action = action, TargetType = "tenant", TargetId = tenantId, TenantId = tenantId };
}
