using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit.Platform;

namespace Piramid.ControlPlane.Tests.AuditSinks;

/// <summary>
/// More slow sinks than delivery slots (receivers that accept and never read, so each delivery waits for the
/// delivery timeout) do not hold back another tenant's healthy sink: it is delivered within a bound far below that
/// timeout. Real PostgreSQL, the control plane's own sink service, loopback TCP receivers.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SlowSinkFairnessTests(PostgresFixture postgres)
{
    private const int Parallelism = 8;
    private const int SlowSinks = Parallelism + 2;
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AHealthySink_IsDelivered_WhileMoreSlowSinksThanSlotsWaitForTheirTimeout()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["AuditSinks:PollInterval"] = "00:00:00.100",
            ["AuditSinks:SettleDelay"] = "00:00:00",
            ["AuditSinks:Parallelism"] = $"{Parallelism}",
            ["AuditSinks:DeliveryTimeout"] = DeliveryTimeout.ToString(),
            ["AuditSinks:AllowPrivateAddresses"] = "true",
        });
        var slow = Enumerable.Range(0, SlowSinks).Select(_ => new SinkFrameReceiver(blackHole: true)).ToList();
        await using var healthy = new SinkFrameReceiver();
        try
        {
            await using var scope = host.App.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
            var now = DateTimeOffset.UtcNow;
            db.Plans.Add(new Plan { Id = "fair-plan", Name = "Fair plan", AuditRetentionDays = 30 });
            var tenants = slow.Select((_, i) => $"t_slow_{i}").Append("t_zz_healthy").ToList();
            foreach (var tenant in tenants)
            {
                db.Tenants.Add(new Tenant { Id = tenant, Name = tenant, PlanId = "fair-plan", Status = TenantStatus.Active, CreatedAt = now, UpdatedAt = now });
                db.AuditEvents.Add(new AuditEvent { Time = now, Actor = "test", Action = "fair.write", TargetType = "tenant", TargetId = tenant, TenantId = tenant });
            }

            await db.SaveChangesAsync();

            // The slow sinks first (stored first, named first): the healthy one comes last in any order of the list.
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < tenants.Count; i++)
            {
                var port = i < SlowSinks ? slow[i].Port : healthy.Port;
                db.AuditSinks.Add(new AuditSinkRecord { TenantId = tenants[i], Kind = "syslog", Host = "127.0.0.1", Port = port, CreatedAt = now, UpdatedAt = now });
                await db.SaveChangesAsync();
            }

            while (healthy.Messages.Count == 0)
            {
                Assert.True(clock.Elapsed < Bound, $"the healthy sink got nothing within {Bound} (slow receivers time out after {DeliveryTimeout})");
                await Task.Delay(50);
            }

            Assert.Single(healthy.Messages);
        }
        finally
        {
            foreach (var receiver in slow)
            {
                await receiver.DisposeAsync();
            }
        }
    }
}
