using Piramid.TestKit.S3;

namespace Piramid.Backups.Tests.Stores;

/// <summary>One moto_server per test class; each test makes its own bucket in it.</summary>
public sealed class MotoFixture : IAsyncLifetime
{
    public MotoServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await MotoServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
