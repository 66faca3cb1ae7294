using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Piramid.Contracts.Problems;
using Piramid.Gateway.Forwarding;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Platform;
using static Piramid.Gateway.Tests.Support.Probe;

namespace Piramid.Gateway.Tests;

/// <summary>Admission beyond rates: new tenants' first requests, requests in flight, slow readers.</summary>
[Collection(GatewayCollection.Name)]
public sealed class AdmissionTests(PostgresFixture postgres)
{
    [Fact]
    public async Task ATenantIsUsable_AsSoonAsItsCreateCallHasAnswered()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (_, key) = await platform.TenantWithKeyAsync("eager");
        using var http = platform.Client(key);

        // No waiting for the route, no retry: the gateway holds the request while the engine starts.
        using var created = await http.PutAsJsonAsync("/v1/collections/docs", new { dimension = 2 });
        Assert.True(created.IsSuccessStatusCode, $"{(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        using var upsert = await http.PostAsJsonAsync("/v1/collections/docs/points", new { points = new[] { new { id = "a", vector = new[] { 1f, 2f } } } });
        Assert.True(upsert.IsSuccessStatusCode, await upsert.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ARequestForATenantNotRoutedYet_IsHeldUntilItsRouteArrives_ThenForwarded()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (tenant, key) = await platform.TenantWithKeyAsync("held");
        using var http = platform.Client(key);
        await WaitRoutedAsync(http);

        // The gateway's table loses the tenant (as while its engine starts), then gets it back as the change feed
        // would deliver it; the request sent in between is held, not refused.
        var services = platform.Gateway.Services;
        var table = services.GetRequiredService<Routing.RoutingTable>();
        var full = await services.GetRequiredService<ControlPlane.ControlPlaneClient>().GetRoutesAsync(CancellationToken.None);
        table.Replace(new Contracts.Admin.RouteTable { Version = full.Version, Routes = [.. full.Routes.Where(r => r.TenantId != tenant)] });
        var pending = http.GetAsync(new Uri("/v1/collections", UriKind.Relative));
        var waiters = services.GetRequiredService<Routing.RouteWaiters>();
        for (var deadline = DateTime.UtcNow.AddSeconds(5); waiters.Waiting(tenant) == 0 && !pending.IsCompleted; await Task.Delay(10))
        {
            Assert.True(DateTime.UtcNow < deadline, "the request never waited");
        }

        Assert.False(pending.IsCompleted, $"answered without waiting: {(pending.IsCompleted ? (int)(await pending).StatusCode : 0)}");
        table.Replace(full);
        using var answer = await pending;
        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task RequestsInFlight_AreLimitedPerTenant_With429AndRetryAfter_AndOtherTenantsAreUnaffected()
    {
        await using var platform = await PlatformHost.StartAsync(postgres, new Dictionary<string, string?> { ["Gateway:MaxConcurrentRequestsPerTenant"] = "2" });
        var (tenant, key) = await platform.TenantWithKeyAsync("busy");
        var (_, otherKey) = await platform.TenantWithKeyAsync("neighbour");
        using var http = platform.Client(key);
        using var other = platform.Client(otherKey);
        await WaitRoutedAsync(http);
        await WaitRoutedAsync(other);
        (await http.PutAsJsonAsync("/v1/collections/docs", new { dimension = 2 })).EnsureSuccessStatusCode();

        // Two searches admitted and held: their bodies are only half sent. "100 Continue" comes when the gateway
        // starts reading a body, which it does only after admission.
        const string search = "{\"vector\":[1,2],\"top_k\":1}";
        var held = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                var client = new TcpClient();
                held.Add(client);
                await client.ConnectAsync(platform.GatewayAddress.Host, platform.GatewayAddress.Port);
                await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(
                    $"POST /v1/collections/docs/search HTTP/1.1\r\nHost: {platform.GatewayAddress.Authority}\r\nAuthorization: Bearer {key}\r\n" +
                    $"Content-Type: application/json\r\nContent-Length: {search.Length}\r\nExpect: 100-continue\r\n\r\n"));
                Assert.StartsWith("HTTP/1.1 100", await ReadLineAsync(client.GetStream()), StringComparison.Ordinal);
                await ReadLineAsync(client.GetStream()); // the blank line after the interim answer
            }

            Assert.Equal(2, platform.Gateway.Services.GetRequiredService<InFlightLimits>().InFlight(tenant));
            using (var refused = await http.PostAsync(new Uri("/v1/collections/docs/search", UriKind.Relative), new StringContent(search, Encoding.UTF8, "application/json")))
            {
                var body = await refused.Content.ReadAsStringAsync();
                Assert.True(refused.StatusCode == HttpStatusCode.TooManyRequests, $"{(int)refused.StatusCode} {body}");
                Assert.NotNull(refused.Headers.RetryAfter);
                Assert.Equal(ProblemTypes.RateLimited, JsonNode.Parse(body)!["type"]!.GetValue<string>());
            }

            using (var neighbour = await other.GetAsync(new Uri("/v1/collections", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.OK, neighbour.StatusCode);
            }

            // The held requests finish normally, and their slots are free again.
            foreach (var client in held)
            {
                await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(search));
                Assert.StartsWith("HTTP/1.1 200", await ReadLineAsync(client.GetStream()), StringComparison.Ordinal);
            }
        }
        finally
        {
            held.ForEach(c => c.Dispose());
        }

        using var after = await http.PostAsync(new Uri("/v1/collections/docs/search", UriKind.Relative), new StringContent(search, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task ASlowReaderOfALargeAnswer_IsDisconnected_AndItsRequestEnds()
    {
        await using var platform = await PlatformHost.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["Gateway:MinResponseBytesPerSecond"] = "65536",
            ["Gateway:SlowResponseGrace"] = "00:00:02",
        });
        var (tenant, key) = await platform.TenantWithKeyAsync("slow-reader");
        using var http = platform.Client(key);
        await WaitRoutedAsync(http);
        const int dimension = 1024;
        (await http.PutAsJsonAsync("/v1/collections/docs", new { dimension, index = new { type = "flat" } })).EnsureSuccessStatusCode();
        var random = new Random(7);
        var points = Enumerable.Range(0, 1000).Select(i => new { id = $"p{i}", vector = Enumerable.Range(0, dimension).Select(_ => (float)random.NextDouble()).ToArray() });
        using (var upsert = await http.PostAsJsonAsync("/v1/collections/docs/points", new { points }))
        {
            Assert.True(upsert.IsSuccessStatusCode, await upsert.Content.ReadAsStringAsync());
        }

        // About 11 MB of answer, far more than the loopback socket buffers hold; the client reads none of it.
        const string scroll = "{\"limit\":1000,\"include_vector\":true}";
        long whole;
        using (var answer = await http.PostAsync(new Uri("/v1/collections/docs/scroll", UriKind.Relative), new StringContent(scroll, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            whole = (await answer.Content.ReadAsByteArrayAsync()).Length;
            Assert.True(whole > 8_000_000, $"the answer is only {whole} bytes");
        }

        var admittedBefore = platform.Gateway.Services.GetRequiredService<InFlightLimits>().Admitted(tenant);
        using var client = new TcpClient { ReceiveBufferSize = 4096 };
        await client.ConnectAsync(platform.GatewayAddress.Host, platform.GatewayAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /v1/collections/docs/scroll HTTP/1.1\r\nHost: {platform.GatewayAddress.Authority}\r\nAuthorization: Bearer {key}\r\n" +
            $"Content-Type: application/json\r\nContent-Length: {scroll.Length}\r\n\r\n{scroll}"));

        // The gateway gives up on the reader: the request ends (its slot and the engine's answer are released)
        // while the client has read nothing.
        var inFlight = platform.Gateway.Services.GetRequiredService<InFlightLimits>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (inFlight.InFlight(tenant) != 0 || inFlight.Admitted(tenant) <= admittedBefore)
        {
            Assert.True(DateTime.UtcNow < deadline, "the slow reader was never cut off");
            await Task.Delay(50);
        }

        // What reaches the client is cut short: the connection ends before the declared length.
        long received = 0;
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(30))) > 0)
            {
                received += read;
            }
        }
        catch (IOException)
        {
            // reset by the gateway
        }

        Assert.True(received < whole, $"received {received} of {whole} bytes");
    }

    private static async Task<string> ReadLineAsync(NetworkStream stream)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (await stream.ReadAsync(one).AsTask().WaitAsync(TimeSpan.FromSeconds(30)) == 1)
        {
            if (one[0] == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            line.Append((char)one[0]);
        }

        return line.ToString();
    }
}
