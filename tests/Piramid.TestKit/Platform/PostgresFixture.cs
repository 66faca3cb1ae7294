using Piramid.ControlPlane.Data;
using Piramid.TestKit.Postgres;
using Xunit;

namespace Piramid.TestKit.Platform;

/// <summary>One private PostgreSQL cluster per test collection; each test makes its own migrated database.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private int _databases;

    /// <summary>The cluster.</summary>
    public PostgresServer Server { get; private set; } = null!;

    /// <summary>A fresh database with every migration applied.</summary>
    public async Task<(string Name, string ConnectionString)> CreateMigratedDatabaseAsync()
    {
        var name = $"cp_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}"[..24];
        var connectionString = await Server.CreateDatabaseAsync(name);
        await ControlPlaneDatabase.MigrateAsync(connectionString);
        return (name, connectionString);
    }

    public async Task InitializeAsync() => Server = await PostgresServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
