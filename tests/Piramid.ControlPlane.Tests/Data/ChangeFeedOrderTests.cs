using Npgsql;
using Piramid.ControlPlane.Tests.Support;

namespace Piramid.ControlPlane.Tests.Data;

/// <summary>
/// Change-feed ids commit in order (the gateway reads "ids above the last one seen"): a transaction that inserts a change
/// holds back every other change insert until it commits, so an id never becomes visible before a smaller one.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ChangeFeedOrderTests(PostgresFixture postgres)
{
    [Fact]
    public async Task ASecondChange_WaitsForTheFirstsCommit_AndGetsTheLargerId()
    {
        var (_, connectionString) = await postgres.CreateMigratedDatabaseAsync();
        await using var first = new NpgsqlConnection(connectionString);
        await using var second = new NpgsqlConnection(connectionString);
        await using var observer = new NpgsqlConnection(connectionString);
        await Task.WhenAll(first.OpenAsync(), second.OpenAsync(), observer.OpenAsync());

        await using var transaction = await first.BeginTransactionAsync();
        var firstId = await InsertChangeAsync(first, "first");
        var secondPid = second.ProcessID;
        var secondInsert = InsertChangeAsync(second, "second");

        // The second insert waits on the feed's lock (not merely slow): seen in pg_stat_activity, then still pending.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await WaitsOnAdvisoryLockAsync(observer, secondPid))
        {
            Assert.False(secondInsert.IsCompleted, "the second change insert did not wait for the first transaction");
            Assert.True(DateTime.UtcNow < deadline, "the second change insert never waited on the feed's lock");
            await Task.Delay(20);
        }

        Assert.False(secondInsert.IsCompleted);
        Assert.Equal(0L, await CountAsync(observer)); // neither is visible yet

        await transaction.CommitAsync();
        var secondId = await secondInsert;
        Assert.True(secondId > firstId, $"the later commit got id {secondId}, not above {firstId}");
        Assert.Equal(2L, await CountAsync(observer));
    }

    private static async Task<long> InsertChangeAsync(NpgsqlConnection connection, string subject)
    {
        await using var command = new NpgsqlCommand("INSERT INTO change_events (time, kind, subject) VALUES (now(), 'key', @subject) RETURNING id", connection);
        command.Parameters.AddWithValue("subject", subject);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<bool> WaitsOnAdvisoryLockAsync(NpgsqlConnection observer, int pid)
    {
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE pid = @pid AND locktype = 'advisory' AND NOT granted", observer);
        command.Parameters.AddWithValue("pid", pid);
        return (long)(await command.ExecuteScalarAsync())! == 1;
    }

    private static async Task<long> CountAsync(NpgsqlConnection observer)
    {
        await using var command = new NpgsqlCommand("SELECT count(*) FROM change_events", observer);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
