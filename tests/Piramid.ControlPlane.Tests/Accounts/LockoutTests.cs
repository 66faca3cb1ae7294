using Microsoft.EntityFrameworkCore;
using Piramid.ControlPlane.Accounts;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit.Time;

namespace Piramid.ControlPlane.Tests.Accounts;

[Collection(PostgresCollection.Name)]
public sealed class LockoutTests(PostgresFixture postgres)
{
    private const string Password = "correct horse battery staple";

    [Fact]
    public void Delay_StartsAtTheThreshold_Doubles_AndIsCapped()
    {
        var options = new AccountOptions { LockoutFailures = 5, LockoutDelay = TimeSpan.FromMinutes(1), LockoutMaxDelay = TimeSpan.FromHours(1) };
        Assert.Equal(TimeSpan.Zero, Lockout.DelayAfter(4, options));
        Assert.Equal(TimeSpan.FromMinutes(1), Lockout.DelayAfter(5, options));
        Assert.Equal(TimeSpan.FromMinutes(2), Lockout.DelayAfter(6, options));
        Assert.Equal(TimeSpan.FromMinutes(32), Lockout.DelayAfter(10, options));
        Assert.Equal(TimeSpan.FromHours(1), Lockout.DelayAfter(11, options));
        Assert.Equal(TimeSpan.FromHours(1), Lockout.DelayAfter(int.MaxValue, options));
    }

    [Fact]
    public async Task FailedSignIns_LockForAGrowingDelay_TheRightPasswordWaitsItOut_AndSuccessResets()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        await using var scope = host.App.Services.CreateAsyncScope();
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var accounts = ActivatorUtilities.CreateInstance<UserAccounts>(scope.ServiceProvider, clock);
        var user = await accounts.CreateUserAsync("Lock@Example.com", Password, platformAdmin: false, ownedTenantId: null, CancellationToken.None);
        Assert.NotNull(user);

        async Task<bool> SignInAsync(string password) => (await accounts.SignInAsync("lock@example.com", password, CancellationToken.None)).Succeeded;

        for (var i = 0; i < 4; i++)
        {
            Assert.False(await SignInAsync("wrong " + i));
        }

        Assert.True(await SignInAsync(Password)); // four failures do not lock, and a success resets the count
        for (var i = 0; i < 5; i++)
        {
            Assert.False(await SignInAsync("wrong " + i));
        }

        // Locked for 1 minute: the right password fails until it is over.
        Assert.False(await SignInAsync(Password));
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.False(await SignInAsync(Password));
        clock.Advance(TimeSpan.FromSeconds(1));
        // One more failure locks for twice as long; attempts while locked do not extend it.
        Assert.False(await SignInAsync("wrong again"));
        clock.Advance(TimeSpan.FromSeconds(119));
        Assert.False(await SignInAsync(Password));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await SignInAsync(Password));

        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        var row = await db.Users.AsNoTracking().SingleAsync(u => u.Email == "lock@example.com");
        Assert.Equal(0, row.FailedCount);
        Assert.Null(row.LockedUntil);
    }
}
