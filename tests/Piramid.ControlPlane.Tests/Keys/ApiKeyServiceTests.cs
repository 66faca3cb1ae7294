using Microsoft.EntityFrameworkCore;
using Piramid.Contracts.Identity;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Keys;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit.Time;

namespace Piramid.ControlPlane.Tests.Keys;

[Collection(PostgresCollection.Name)]
public sealed class ApiKeyServiceTests(PostgresFixture postgres)
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Create_SecretIsShownOnceAndStoredNowhere()
    {
        var (name, cs) = await postgres.CreateMigratedDatabaseAsync();
        await using var db = await NewTenantDbAsync(cs, "t_a");
        var created = await new ApiKeyService(db, _clock).CreateAsync("t_a", "ci", "read_write", ["docs"], null, default);

        Assert.True(ApiKeyFormat.TryParse(created.Secret, out var id, out var secret));
        Assert.Equal(created.Key.Id, id);
        Assert.True(System.Buffers.Text.Base64Url.DecodeFromChars(secret).Length >= 32, "at least 256 bits of secret");
        var dump = await postgres.Server.DumpAsync(name);
        Assert.DoesNotContain(secret, dump, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Secret, dump, StringComparison.Ordinal);
        Assert.Contains(id, dump, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Introspect_ValidWrongRevokedExpiredAndSuspended()
    {
        var (_, cs) = await postgres.CreateMigratedDatabaseAsync();
        await using var db = await NewTenantDbAsync(cs, "t_b");
        var keys = new ApiKeyService(db, _clock);
        var created = await keys.CreateAsync("t_b", "ci", "read_only", [], _clock.GetUtcNow().AddHours(1), default);
        ApiKeyFormat.TryParse(created.Secret, out var id, out var secret);

        var ok = await keys.IntrospectAsync(id, ApiKeyFormat.HashSecret(secret), default);
        Assert.NotNull(ok);
        Assert.Equal(("t_b", "read_only", "free"), (ok!.TenantId, ok.Role, ok.Plan.Id));

        Assert.Null(await keys.IntrospectAsync(id, ApiKeyFormat.HashSecret(secret + "x"), default));
        Assert.Null(await keys.IntrospectAsync("0000000000000000", ApiKeyFormat.HashSecret(secret), default));

        _clock.Advance(TimeSpan.FromHours(2));
        Assert.Null(await keys.IntrospectAsync(id, ApiKeyFormat.HashSecret(secret), default));

        var other = await keys.CreateAsync("t_b", "other", "admin", [], null, default);
        ApiKeyFormat.TryParse(other.Secret, out var otherId, out var otherSecret);
        var tenant = await db.Tenants.SingleAsync(t => t.Id == "t_b");
        tenant.Status = TenantStatus.Suspended;
        await db.SaveChangesAsync();
        Assert.True((await keys.IntrospectAsync(otherId, ApiKeyFormat.HashSecret(otherSecret), default))!.TenantSuspended);
        Assert.Null(await keys.IntrospectAsync(otherId, ApiKeyFormat.HashSecret(otherSecret + "x"), default));
        tenant.Status = TenantStatus.Active;
        await db.SaveChangesAsync();
        Assert.False((await keys.IntrospectAsync(otherId, ApiKeyFormat.HashSecret(otherSecret), default))!.TenantSuspended);

        Assert.True(await keys.RevokeAsync("t_b", otherId, default));
        Assert.Null(await keys.IntrospectAsync(otherId, ApiKeyFormat.HashSecret(otherSecret), default));
        Assert.False(await keys.RevokeAsync("t_other", id, default));
    }

    [Fact]
    public async Task Rotate_WithGrace_OldSecretWorksUntilGraceEnds()
    {
        var (_, cs) = await postgres.CreateMigratedDatabaseAsync();
        await using var db = await NewTenantDbAsync(cs, "t_c");
        var keys = new ApiKeyService(db, _clock);
        var created = await keys.CreateAsync("t_c", "ci", "admin", [], null, default);
        ApiKeyFormat.TryParse(created.Secret, out var id, out var oldSecret);

        var rotated = await keys.RotateAsync("t_c", id, TimeSpan.FromMinutes(10), default);
        ApiKeyFormat.TryParse(rotated!.Secret, out var sameId, out var newSecret);
        Assert.Equal(id, sameId);
        Assert.NotEqual(oldSecret, newSecret);
        Assert.NotNull(await keys.IntrospectAsync(id, ApiKeyFormat.HashSecret(newSecret), default));
        var old = await keys.IntrospectAsync(id, ApiKeyFormat.HashSecret(oldSecret), default);
        Assert.Equal(_clock.GetUtcNow().AddMinutes(10), old!.ExpiresAt);

        _clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Null(await keys.IntrospectAsync(id, ApiKeyFormat.HashSecret(oldSecret), default));
        Assert.NotNull(await keys.IntrospectAsync(id, ApiKeyFormat.HashSecret(newSecret), default));

        var immediate = await keys.RotateAsync("t_c", id, TimeSpan.Zero, default);
        Assert.Null(await keys.IntrospectAsync(id, ApiKeyFormat.HashSecret(newSecret), default));
        ApiKeyFormat.TryParse(immediate!.Secret, out _, out var latest);
        Assert.NotNull(await keys.IntrospectAsync(id, ApiKeyFormat.HashSecret(latest), default));
        Assert.True(await db.ChangeEvents.CountAsync(c => c.Kind == "key" && c.Subject == id) >= 3);
    }

    [Theory]
    [InlineData("")]
    [InlineData("pk_123")]
    [InlineData("sk_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("pk_0123456789ABCDEF_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void TryParse_RefusesMalformedKeys(string presented) =>
        Assert.False(ApiKeyFormat.TryParse(presented, out _, out _));

    private async Task<ControlPlaneDbContext> NewTenantDbAsync(string connectionString, string tenantId)
    {
        var db = new ControlPlaneDbContext(ControlPlaneDatabase.Configure(new DbContextOptionsBuilder<ControlPlaneDbContext>(), connectionString).Options);
        db.Tenants.Add(new Tenant { Id = tenantId, Name = tenantId.Replace('_', '-'), PlanId = "free", Status = TenantStatus.Active, CreatedAt = _clock.GetUtcNow() });
        await db.SaveChangesAsync();
        return db;
    }
}
