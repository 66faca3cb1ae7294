using System.Net;
using System.Net.Sockets;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit;
using Piramid.TestKit.Platform;

namespace Piramid.Gateway.Tests;

/// <summary>
/// The test platform picks the gateway's port before the control plane starts (it may be the issuer); a port another
/// test took in between must not fail the test with "address already in use". The race is made certain here: the first
/// pick is a port this test holds.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PlatformHostPortTests(PostgresFixture postgres)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task APortTakenBetweenThePickAndTheBind_IsRetriedWithAnother(bool issuerAtGateway)
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var taken = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var picks = 0;

        await using var platform = await PlatformHost.StartAsync(postgres, issuerAtGateway: issuerAtGateway,
            pickPort: () => Interlocked.Increment(ref picks) == 1 ? taken : LoopbackPort.GetFree());

        Assert.Equal(2, picks);
        Assert.NotEqual(taken, platform.GatewayAddress.Port);
        if (issuerAtGateway)
        {
            Assert.Equal(platform.GatewayAddress.ToString(), platform.ControlPlane.App.Configuration["Identity:Issuer"]);
        }

        var (_, key) = await platform.TenantWithKeyAsync("ported-" + issuerAtGateway.ToString().ToLowerInvariant());
        using var client = platform.Client(key);
        await Probe.WaitRoutedAsync(client); // the gateway on the second port serves the tenant's data
    }
}
