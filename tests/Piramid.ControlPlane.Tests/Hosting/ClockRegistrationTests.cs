using Piramid.ControlPlane.Tests.Support;

namespace Piramid.ControlPlane.Tests.Hosting;

/// <summary>One clock per process, registered by the service defaults, so a replaced clock reaches every service.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ClockRegistrationTests(PostgresFixture postgres)
{
    [Fact]
    public async Task ControlPlane_RegistersExactlyOneTimeProvider()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        var clocks = host.App.Services.GetServices<TimeProvider>().ToList();
        Assert.Single(clocks);
        Assert.Same(TimeProvider.System, clocks[0]);
    }
}
