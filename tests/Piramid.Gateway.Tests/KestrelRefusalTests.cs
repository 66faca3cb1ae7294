using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Platform;

namespace Piramid.Gateway.Tests;

/// <summary>Answers Kestrel writes itself, before any middleware, carry problem+json in the gateway, the control plane and an engine.</summary>
[Collection(GatewayCollection.Name)]
public sealed class KestrelRefusalTests(PostgresFixture postgres)
{
    [Fact]
    public async Task RequestsKestrelRefuses_GetProblemBodies_InTheGatewayTheControlPlaneAndAnEngine()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (tenant, key) = await platform.TenantWithKeyAsync("refusals");
        using (var http = platform.Client(key))
        {
            await Probe.WaitRoutedAsync(http);
        }

        var engine = platform.Gateway.Services.GetRequiredService<Routing.RoutingTable>().Find(tenant)!.Endpoint;
        foreach (var server in new[] { platform.GatewayAddress, platform.ControlPlane.BaseAddress, engine })
        {
            var host = $"Host: {server.Authority}\r\n";
            var cases = new (string Why, string Request, int Status)[]
            {
                ("URI over the request line limit", $"GET /v1/collections/{new string('a', 20_000)} HTTP/1.1\r\n{host}\r\n", 414),
                ("headers over Kestrel's limit", $"GET /v1/collections HTTP/1.1\r\n{host}X-Big: {new string('b', 70_000)}\r\n\r\n", 431),
                ("too many headers", $"GET /v1/collections HTTP/1.1\r\n{host}{string.Concat(Enumerable.Range(0, 150).Select(i => $"X-H{i}: v\r\n"))}\r\n", 431),
                ("HTTP/1.2", $"GET /v1/collections HTTP/1.2\r\n{host}\r\n", 505),
                ("HTTP/0.9", $"GET /v1/collections HTTP/0.9\r\n{host}\r\n", 505),
                ("no version", $"GET /v1/collections\r\n{host}\r\n", 400),
                ("bad request line", $"GET\r\n{host}\r\n", 400),
                ("space in target", $"GET /v1/coll ections HTTP/1.1\r\n{host}\r\n", 400),
                ("header without colon", $"GET /v1/collections HTTP/1.1\r\n{host}NoColonHere\r\n\r\n", 400),
                ("negative Content-Length", $"POST /v1/collections HTTP/1.1\r\n{host}Content-Length: -5\r\n\r\n", 400),
                ("Content-Length not a number", $"POST /v1/collections HTTP/1.1\r\n{host}Content-Length: 5.0\r\n\r\n", 400),
                ("two Content-Lengths", $"POST /v1/collections HTTP/1.1\r\n{host}Content-Length: 5\r\nContent-Length: 6\r\n\r\n", 400),
                ("no Host", "GET /v1/collections HTTP/1.1\r\n\r\n", 400),
            };
            foreach (var (why, request, status) in cases)
            {
                var answer = await RawHttp.SendAsync(server, request);
                Assert.True(answer.Status == status, $"{server} {why}: {answer}");
                Assert.True(answer.ProblemType is not null, $"{server} {why}: no problem body: {answer}");
                Assert.Contains($"\"status\":{status}", answer.Body, StringComparison.Ordinal);
            }
        }
    }
}
