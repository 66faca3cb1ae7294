using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using Piramid.ControlPlane.Auditing;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit.Time;

namespace Piramid.ControlPlane.Tests.Auditing;

/// <summary>The retention sweep, driven by an injected clock against the real database and OpenIddict stores.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RetentionTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task AuditEvents_PastTheRetention_AreDeleted_NewerKept()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        await using var scope = host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        db.AuditEvents.AddRange(Event("tenant.create", "t_a", Now - TimeSpan.FromDays(31)), Event("tenant.update", "t_a", Now - TimeSpan.FromDays(29)));
        await db.SaveChangesAsync();

        var clock = new ManualClock(Now);
        var result = await Sweep(scope, clock, new RetentionOptions { AuditRetention = TimeSpan.FromDays(30) }).RunAsync(CancellationToken.None);

        Assert.Equal(1, result.AuditEvents);
        Assert.Equal(["tenant.update"], await db.AuditEvents.Where(e => e.TenantId == "t_a").Select(e => e.Action).ToListAsync());
        clock.Advance(TimeSpan.FromDays(2));
        await Sweep(scope, clock, new RetentionOptions { AuditRetention = TimeSpan.FromDays(30) }).RunAsync(CancellationToken.None);
        Assert.Empty(await db.AuditEvents.Where(e => e.TenantId == "t_a").ToListAsync());
    }

    [Fact]
    public async Task AuditEvents_OfATenant_FollowItsPlansRetention_OthersTheOption()
    {
        // The host's own RetentionService sweeps first an interval (5 min) after start, with the real clock: not during this test.
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        await using var scope = host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        db.Plans.Add(new Plan { Id = "short-audit", Name = "Short audit", AuditRetentionDays = 30 });
        db.Tenants.AddRange(
            new Tenant { Id = "t_short", Name = "short", PlanId = "short-audit", Status = TenantStatus.Active, CreatedAt = Now, UpdatedAt = Now },
            new Tenant { Id = "t_default", Name = "default", PlanId = "free", Status = TenantStatus.Active, CreatedAt = Now, UpdatedAt = Now });
        db.AuditEvents.AddRange(
            Event("short.old", "t_short", Now - TimeSpan.FromDays(30) - TimeSpan.FromMinutes(1)),
            Event("short.new", "t_short", Now - TimeSpan.FromDays(30) + TimeSpan.FromMinutes(1)),
            Event("default.old", "t_default", Now - TimeSpan.FromDays(PlanDefaults.AuditRetentionDays) - TimeSpan.FromMinutes(1)),
            Event("default.new", "t_default", Now - TimeSpan.FromDays(31)),
            Event("none.old", null, Now - TimeSpan.FromDays(8)),
            Event("none.new", null, Now - TimeSpan.FromDays(6)),
            Event("purged.old", "t_purged", Now - TimeSpan.FromDays(8))); // no tenant row any more: the option applies
        await db.SaveChangesAsync();

        var result = await Sweep(scope, new ManualClock(Now), new RetentionOptions { AuditRetention = TimeSpan.FromDays(7) }).RunAsync(CancellationToken.None);

        var left = await db.AuditEvents.AsNoTracking().Where(e => e.TenantId == "t_short" || e.TenantId == "t_default" || e.TenantId == "t_purged" || e.TenantId == null)
            .Where(e => e.Action.EndsWith(".old") || e.Action.EndsWith(".new")).Select(e => e.Action).OrderBy(a => a).ToListAsync();
        Assert.Equal(["default.new", "none.new", "short.new"], left);
        Assert.Equal(4, result.AuditEvents);
    }

    [Fact]
    public async Task AuthFailures_BeyondTheCapPerTenantAndPeriod_FoldIntoOneCount()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        await using var scope = host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        var hour = new DateTimeOffset(2026, 6, 15, 11, 0, 0, TimeSpan.Zero);
        db.AuditEvents.AddRange(Failures("t_a", hour, 250));
        db.AuditEvents.AddRange(Failures("t_b", hour, 40));
        db.AuditEvents.AddRange(Failures(null, hour, 130));
        db.AuditEvents.AddRange(Failures("t_a", hour + TimeSpan.FromHours(1), 20)); // the next period has its own cap
        db.AuditEvents.Add(Event("tenant.update", "t_a", hour)); // other events are never folded
        await db.SaveChangesAsync();
        var options = new RetentionOptions { AuthFailuresPerPeriod = 100 };
        var clock = new ManualClock(Now);

        var first = await Sweep(scope, clock, options).RunAsync(CancellationToken.None);

        Assert.Equal(150 + 30, first.AuthFailuresAggregated);
        Assert.Equal((100, 150L), await PeriodAsync(db, "t_a", hour));
        Assert.Equal((40, 0L), await PeriodAsync(db, "t_b", hour));
        Assert.Equal((100, 30L), await PeriodAsync(db, null, hour));
        Assert.Equal((20, 0L), await PeriodAsync(db, "t_a", hour + TimeSpan.FromHours(1)));
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.TenantId == "t_a" && e.Action == "tenant.update"));

        // A later flood in the same period adds to the same count; a second sweep with nothing new changes nothing.
        db.AuditEvents.AddRange(Failures("t_a", hour + TimeSpan.FromMinutes(50), 7));
        await db.SaveChangesAsync();
        Assert.Equal(7, (await Sweep(scope, clock, options).RunAsync(CancellationToken.None)).AuthFailuresAggregated);
        Assert.Equal((100, 157L), await PeriodAsync(db, "t_a", hour));
        Assert.Equal(0, (await Sweep(scope, clock, options).RunAsync(CancellationToken.None)).AuthFailuresAggregated);
        Assert.Equal((100, 157L), await PeriodAsync(db, "t_a", hour));
    }

    [Fact]
    public async Task IdempotencyReplies_ExpireAfterTheTtl_AndAreDeleted()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        var tenantId = await SeedTenantAsync(host);
        using var admin = await host.ClientAsync(host.Operator);
        admin.DefaultRequestHeaders.Add("Idempotency-Key", "one-key");

        Assert.Equal(HttpStatusCode.Created, await CreateKeyAsync(admin, tenantId, "first"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, await CreateKeyAsync(admin, tenantId, "second"));
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            // A day and a bit later (the stored reply is moved back instead of the server's clock).
            var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
            await db.IdempotencyRecords.ExecuteUpdateAsync(s => s.SetProperty(r => r.CreatedAt, r => r.CreatedAt - TimeSpan.FromHours(25)));
        }

        Assert.Equal(HttpStatusCode.Created, await CreateKeyAsync(admin, tenantId, "second"));
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
            Assert.Equal(2, await db.ApiKeys.CountAsync(k => k.TenantId == tenantId));
            var clock = new ManualClock(DateTimeOffset.UtcNow + TimeSpan.FromHours(23));
            Assert.Equal(0, (await Sweep(scope, clock, new RetentionOptions()).RunAsync(CancellationToken.None)).IdempotencyRecords);
            clock.Advance(TimeSpan.FromHours(2));
            Assert.Equal(1, (await Sweep(scope, clock, new RetentionOptions()).RunAsync(CancellationToken.None)).IdempotencyRecords);
            Assert.Equal(0, await db.IdempotencyRecords.CountAsync());
        }
    }

    [Fact]
    public async Task OpenIddictTokensAndAuthorizations_DeadAndOld_ArePruned_LiveOnesKept()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        await using var scope = host.App.Services.CreateAsyncScope();
        var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
        var authorizations = scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>();
        var now = DateTimeOffset.UtcNow; // OpenIddict compares expiry dates with the real clock
        var expired = await tokens.CreateAsync(Token(now - TimeSpan.FromDays(30), now - TimeSpan.FromDays(29)));
        var live = await tokens.CreateAsync(Token(now - TimeSpan.FromDays(30), now + TimeSpan.FromDays(1)));
        var fresh = await tokens.CreateAsync(Token(now - TimeSpan.FromMinutes(1), now - TimeSpan.FromSeconds(1)));
        var revoked = await authorizations.CreateAsync(new OpenIddictAuthorizationDescriptor
        {
            CreationDate = now - TimeSpan.FromDays(30),
            Status = OpenIddictConstants.Statuses.Revoked,
            Subject = "op",
            Type = OpenIddictConstants.AuthorizationTypes.Permanent,
        });
        var valid = await authorizations.CreateAsync(new OpenIddictAuthorizationDescriptor
        {
            CreationDate = now - TimeSpan.FromDays(30),
            Status = OpenIddictConstants.Statuses.Valid,
            Subject = "op",
            Type = OpenIddictConstants.AuthorizationTypes.Permanent,
        });
        var ids = (Expired: await tokens.GetIdAsync(expired), Live: await tokens.GetIdAsync(live), Fresh: await tokens.GetIdAsync(fresh),
            Revoked: await authorizations.GetIdAsync(revoked), Valid: await authorizations.GetIdAsync(valid));

        var result = await Sweep(scope, new ManualClock(now), new RetentionOptions { TokenRetention = TimeSpan.FromDays(14) }).RunAsync(CancellationToken.None);

        Assert.True(result.Tokens >= 1 && result.Authorizations >= 1, result.ToString());
        // A new scope: OpenIddict's managers cache the entities they have seen.
        await using var check = host.App.Services.CreateAsyncScope();
        tokens = check.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
        authorizations = check.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>();
        Assert.Null(await tokens.FindByIdAsync(ids.Expired!));
        Assert.NotNull(await tokens.FindByIdAsync(ids.Live!));
        Assert.NotNull(await tokens.FindByIdAsync(ids.Fresh!)); // expired, but younger than the retention
        Assert.Null(await authorizations.FindByIdAsync(ids.Revoked!));
        Assert.NotNull(await authorizations.FindByIdAsync(ids.Valid!));
    }

    [Fact]
    public void RetentionOptions_Invalid_NameTheKey()
    {
        var validator = new RetentionOptionsValidator();
        var result = validator.Validate(null, new RetentionOptions { IdempotencyTtl = TimeSpan.Zero, AuthFailuresPerPeriod = 0, AuthFailurePeriod = TimeSpan.FromMinutes(7) });
        Assert.True(result.Failed);
        Assert.Contains("'Retention:IdempotencyTtl'", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("'Retention:AuthFailuresPerPeriod'", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("'Retention:AuthFailurePeriod'", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(validator.Validate(null, new RetentionOptions()).Succeeded);
    }

    internal static async Task<string> SeedTenantAsync(ControlPlaneHost host)
    {
        await using var scope = host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        var tenant = new Tenant { Id = "t_seeded", Name = "seeded", PlanId = "free", Status = TenantStatus.Active, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
        db.Tenants.Add(tenant);
        await db.SaveChangesAsync();
        return tenant.Id;
    }

    private static async Task<HttpStatusCode> CreateKeyAsync(HttpClient admin, string tenantId, string name)
    {
        using var response = await admin.PostAsync(
            $"/v1/tenants/{tenantId}/api-keys", new StringContent($$"""{"name":"{{name}}","role":"read_only"}""", Encoding.UTF8, "application/json"));
        return response.StatusCode;
    }

    private static RetentionSweep Sweep(AsyncServiceScope scope, TimeProvider clock, RetentionOptions options) => new(
        scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>(),
        scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>(),
        scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>(),
        Options.Create(options),
        clock);

    private static OpenIddictTokenDescriptor Token(DateTimeOffset created, DateTimeOffset expires) => new()
    {
        CreationDate = created,
        ExpirationDate = expires,
        Status = OpenIddictConstants.Statuses.Valid,
        Subject = "op",
        Type = OpenIddictConstants.TokenTypeHints.RefreshToken,
    };

    private static AuditEvent Event(string action, string? tenantId, DateTimeOffset time) =>
        new() { Time = time, Actor = "test", Action = action, TargetType = "tenant", TargetId = tenantId ?? "-", TenantId = tenantId };

    private static IEnumerable<AuditEvent> Failures(string? tenantId, DateTimeOffset start, int count) =>
        Enumerable.Range(0, count).Select(i => new AuditEvent
        {
            Time = start + TimeSpan.FromSeconds(i % 3000),
            Actor = "gateway",
            Action = RetentionSweep.AuthFailed,
            TargetType = "api_key",
            TargetId = "k",
            TenantId = tenantId,
            After = """{"reason":"invalid"}""",
        });

    // (individual rows, aggregated count) of a tenant's period starting at `start`.
    private static async Task<(int Rows, long Folded)> PeriodAsync(ControlPlaneDbContext db, string? tenantId, DateTimeOffset start)
    {
        var end = start + TimeSpan.FromHours(1);
        var rows = await db.AuditEvents.CountAsync(e => e.TenantId == tenantId && e.Action == RetentionSweep.AuthFailed && e.Time >= start && e.Time < end);
        var folded = await db.AuditEvents.AsNoTracking()
            .Where(e => e.TenantId == tenantId && e.Action == RetentionSweep.AuthFailedAggregated && e.Time == start)
            .Select(e => e.After).ToListAsync();
        var count = folded.Count switch
        {
            0 => 0L,
            1 => System.Text.Json.JsonDocument.Parse(folded[0]!).RootElement.GetProperty("count").GetInt64(),
            _ => throw new InvalidOperationException($"{folded.Count} aggregated rows for one period"),
        };
        return (rows, count);
    }
}
