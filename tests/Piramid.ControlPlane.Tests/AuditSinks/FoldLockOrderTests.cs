using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenIddict.Abstractions;
using Piramid.ControlPlane.Auditing;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit.Platform;
using Piramid.TestKit.Time;

namespace Piramid.ControlPlane.Tests.AuditSinks;

/// <summary>
/// The retention fold of auth failures and a multi-tenant auth-failure report both lock tenants' chain heads (the fold
/// through the log position trigger of its inserts, the report in <see cref="AuditChain.LinkAsync"/>): they take them
/// in one order, so they never deadlock (40P01). The report holds one head while the fold waits for it, then takes the
/// heads after it in name order, as LinkAsync does; a fold that held any of those would deadlock. Real PostgreSQL.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FoldLockOrderTests(PostgresFixture postgres)
{
    private const int Cap = 2;
    private const int PerTenant = 4;

    [Theory]
    [InlineData(24, 0)]
    [InlineData(24, 11)]
    [InlineData(7, 3)]
    public async Task TheFold_AndAMultiTenantReport_NeverDeadlock(int tenants, int held)
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        var names = Enumerable.Range(0, tenants).Select(i => $"t_fold_{i:D2}").ToList();
        var now = DateTimeOffset.UtcNow;
        await using (var seed = host.App.Services.CreateAsyncScope())
        {
            var db = seed.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
            db.AuditEvents.AddRange(names.SelectMany(t => Enumerable.Range(0, PerTenant).Select(_ => Failure(t, now))));
            await db.SaveChangesAsync();
        }

        // The report: one transaction that holds the head of names[held] ...
        await using var reportScope = host.App.Services.CreateAsyncScope();
        var report = reportScope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        await using var transaction = await report.Database.BeginTransactionAsync();
        report.AuditEvents.Add(Failure(names[held], now));
        await report.SaveChangesAsync();

        // ... while the fold starts and waits for that head.
        await using var foldScope = host.App.Services.CreateAsyncScope();
        var fold = Task.Run(() => Sweep(foldScope, new ManualClock(now)).RunAsync(CancellationToken.None));
        await WaitBlockedAsync(host, fold);

        // The report goes on with the heads after it, in name order (as LinkAsync locks them), and commits.
        report.AuditEvents.AddRange(names.Skip(held + 1).Select(t => Failure(t, now)));
        var reported = await Record(() => report.SaveChangesAsync());
        if (reported is null)
        {
            await transaction.CommitAsync();
        }

        var folded = await Record(() => fold);
        Assert.True(reported is null && folded is null, $"report: {reported?.Message}; fold: {folded?.Message}");

        // Nothing lost: per tenant, the rows kept plus the folded count are the rows written.
        await using var checkScope = host.App.Services.CreateAsyncScope();
        var check = checkScope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        foreach (var (tenant, i) in names.Select((t, i) => (t, i)))
        {
            var written = PerTenant + (i >= held ? 1 : 0);
            var rows = await check.AuditEvents.CountAsync(e => e.TenantId == tenant && e.Action == RetentionSweep.AuthFailed);
            var counts = await check.AuditEvents.AsNoTracking()
                .Where(e => e.TenantId == tenant && e.Action == RetentionSweep.AuthFailedAggregated).Select(e => e.After!).ToListAsync();
            var count = counts.Sum(c => System.Text.Json.JsonDocument.Parse(c).RootElement.GetProperty("count").GetInt64());
            Assert.Equal(written, rows + count);
        }
    }

    private static async Task<Exception?> Record(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception e) when (e is PostgresException or DbUpdateException or InvalidOperationException)
        {
            return e;
        }
    }

    // Until the fold waits for a lock (it must: the report holds a head it folds).
    private static async Task WaitBlockedAsync(ControlPlaneHost host, Task fold)
    {
        await using var scope = host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(fold.IsCompleted, "the fold finished without waiting for the head the report holds");
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
            if ((long)(await command.ExecuteScalarAsync())! > 0)
            {
                return;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the fold did not wait for the held head");
            await Task.Delay(10);
        }
    }

    private static RetentionSweep Sweep(AsyncServiceScope scope, TimeProvider clock) => new(
        scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>(),
        scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>(),
        scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>(),
        Options.Create(new RetentionOptions { AuthFailuresPerPeriod = Cap }),
        clock);

    private static AuditEvent Failure(string tenant, DateTimeOffset time) => new()
    {
        Time = time,
        Actor = "gateway",
        Action = RetentionSweep.AuthFailed,
        TargetType = "api_key",
        TargetId = "k",
        TenantId = tenant,
        After = """{"reason":"invalid"}""",
    };
}
