using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit.Platform;

namespace Piramid.ControlPlane.Tests.AuditSinks;

/// <summary>
/// A sink whose receiver accepts connections and never reads (a black hole, held until the 10-minute delivery timeout)
/// does not hold up another tenant's sink: the service's own rounds keep delivering it, event after event. Real
/// PostgreSQL, the control plane's background service, two loopback TCP receivers.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SlowSinkTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ABlackHoledSink_DoesNotDelayAnotherTenantsSink()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["AuditSinks:PollInterval"] = "00:00:00.100",
            ["AuditSinks:SettleDelay"] = "00:00:00",
            ["AuditSinks:DeliveryTimeout"] = "00:10:00",
            ["AuditSinks:AllowPrivateAddresses"] = "true",
        });
        await using var hole = new SinkFrameReceiver(blackHole: true);
        await using var receiver = new SinkFrameReceiver();
        await using var scope = host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        var now = DateTimeOffset.UtcNow;
        db.Plans.Add(new Plan { Id = "slow-plan", Name = "Slow plan", AuditRetentionDays = 30 });
        db.Tenants.AddRange(
            new Tenant { Id = "t_hole", Name = "hole", PlanId = "slow-plan", Status = TenantStatus.Active, CreatedAt = now, UpdatedAt = now },
            new Tenant { Id = "t_fine", Name = "fine", PlanId = "slow-plan", Status = TenantStatus.Active, CreatedAt = now, UpdatedAt = now });
        // Enough for the black-holed sink to fill the socket buffers (it never gets a close either way).
        for (var i = 0; i < 200; i++)
        {
            db.AuditEvents.Add(Event("t_hole", $"hole.{i}", new string('x', 2000)));
        }

        db.AuditEvents.Add(Event("t_fine", "fine.0", null));
        await db.SaveChangesAsync();
        // The black hole's sink first: delivered one after the other, it would hold the round.
        db.AuditSinks.Add(new AuditSinkRecord { TenantId = "t_hole", Kind = "syslog", Host = "127.0.0.1", Port = hole.Port, CreatedAt = now, UpdatedAt = now });
        await db.SaveChangesAsync();
        db.AuditSinks.Add(new AuditSinkRecord { TenantId = "t_fine", Kind = "syslog", Host = "127.0.0.1", Port = receiver.Port, CreatedAt = now, UpdatedAt = now });
        await db.SaveChangesAsync();

        await WaitForAsync(receiver, "fine.0");
        // Later rounds too, while the black hole still holds its delivery.
        db.AuditEvents.Add(Event("t_fine", "fine.1", null));
        await db.SaveChangesAsync();
        await WaitForAsync(receiver, "fine.1");
        Assert.Equal(0, await db.AuditSinks.Where(s => s.TenantId == "t_hole").Select(s => s.ControlCursor).SingleAsync());
    }

    private static async Task WaitForAsync(SinkFrameReceiver receiver, string action)
    {
        var clock = Stopwatch.StartNew();
        while (!receiver.Messages.Any(m => (string?)m["action"] == action))
        {
            Assert.True(clock.Elapsed < Patience, $"'{action}' did not arrive within {Patience} while another sink was black-holed");
            await Task.Delay(50);
        }
    }

    private static AuditEvent Event(string tenant, string action, string? padding) =>
        new()
        {
            Time = DateTimeOffset.UtcNow,
            Actor = "test",
            Action = action,
            TargetType = "tenant",
            TargetId = tenant,
            TenantId = tenant,
            After = padding is null ? null : $"{{\"pad\":\"{padding}\"}}",
        };
}
