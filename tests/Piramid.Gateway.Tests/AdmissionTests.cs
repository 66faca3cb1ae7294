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
        await using var platform = await PlatformHost.StartAsync(postgres);
        await PutPlanAsync(platform, "two-in-flight", maxRequestsInFlight: 2);
        var (tenant, key) = await platform.TenantWithKeyAsync("busy", plan: "two-in-flight");
        var (_, otherKey) = await platform.TenantWithKeyAsync("neighbour");
        using var http = platform.Client(key);
        using var other = platform.Client(otherKey);
        await WaitRoutedAsync(http);
        await WaitRoutedAsync(other);
        (await http.PutAsJsonAsync("/v1/collections/docs", new { dimension = 2 })).EnsureSuccessStatusCode();

        // Two searches admitted and held: their bodies are not sent yet.
        const string search = "{\"vector\":[1,2],\"top_k\":1}";
        var held = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                held.Add(await HoldSearchAsync(platform, key, search));
            }

            Assert.Equal(2, platform.Gateway.Services.GetRequiredService<InFlightLimits>().InFlight(tenant));
            using (var refused = await http.PostAsync(new Uri("/v1/collections/docs/search", UriKind.Relative), new StringContent(search, Encoding.UTF8, "application/json")))
            {
                var body = await refused.Content.ReadAsStringAsync();
                Assert.True(refused.StatusCode == HttpStatusCode.TooManyRequests, $"{(int)refused.StatusCode} {body}");
                Assert.NotNull(refused.Headers.RetryAfter);
                Assert.Equal(ProblemTypes.RateLimited, JsonNode.Parse(body)!["type"]!.GetValue<string>());
                RateLimitHeaders.AssertPresent(refused, "the in-flight limit's 429");
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
    public async Task RequestsInFlight_FollowTheTenantsPlan_429AtThePlansLimit_WhileATenantOnTheDefaultPlanGoesPast()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        await PutPlanAsync(platform, "narrow", maxRequestsInFlight: 3);
        var (narrowTenant, narrowKey) = await platform.TenantWithKeyAsync("narrow-tenant", plan: "narrow");
        var (wideTenant, wideKey) = await platform.TenantWithKeyAsync("wide-tenant");
        var limits = platform.Gateway.Services.GetRequiredService<InFlightLimits>();
        const string search = "{\"vector\":[1,2],\"top_k\":1}";
        foreach (var (tenant, key, held, refused) in new[] { (narrowTenant, narrowKey, 3, true), (wideTenant, wideKey, 4, false) })
        {
            using var http = platform.Client(key);
            await WaitRoutedAsync(http);
            (await http.PutAsJsonAsync("/v1/collections/docs", new { dimension = 2 })).EnsureSuccessStatusCode();
            var clients = new List<TcpClient>();
            try
            {
                for (var i = 0; i < held; i++)
                {
                    clients.Add(await HoldSearchAsync(platform, key, search));
                }

                Assert.Equal(held, limits.InFlight(tenant));
                using var next = await http.PostAsync(new Uri("/v1/collections/docs/search", UriKind.Relative), new StringContent(search, Encoding.UTF8, "application/json"));
                var body = await next.Content.ReadAsStringAsync();
                Assert.True(refused ? next.StatusCode == HttpStatusCode.TooManyRequests : next.StatusCode == HttpStatusCode.OK, $"{tenant}: {(int)next.StatusCode} {body}");
                if (refused)
                {
                    Assert.Equal(ProblemTypes.RateLimited, JsonNode.Parse(body)!["type"]!.GetValue<string>());
                }
            }
            finally
            {
                clients.ForEach(c => c.Dispose());
            }
        }
    }

    // A plan whose rates never refuse: only its requests-in-flight limit can.
    private static async Task PutPlanAsync(PlatformHost platform, string id, int maxRequestsInFlight)
    {
        using var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator);
        using var put = await admin.PutAsJsonAsync($"/v1/plans/{id}", new
        {
            max_collections = 5,
            max_points = 1000,
            max_storage_bytes = 10_000_000,
            max_dimension = 16,
            read_rate_per_second = 1000,
            read_burst = 1000,
            write_rate_per_second = 1000,
            write_burst = 1000,
            monthly_read_units = 1_000_000,
            monthly_write_units = 1_000_000,
            max_requests_in_flight = maxRequestsInFlight,
        });
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        Assert.Equal(maxRequestsInFlight, (await put.Content.ReadFromJsonAsync<JsonObject>())!["max_requests_in_flight"]!.GetValue<int>());
    }

    // A search admitted and held in flight: its body is not sent. "100 Continue" comes when the gateway starts
    // reading a body, which it does only after admission.
    private static async Task<TcpClient> HoldSearchAsync(PlatformHost platform, string key, string search)
    {
        var client = new TcpClient();
        await client.ConnectAsync(platform.GatewayAddress.Host, platform.GatewayAddress.Port);
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /v1/collections/docs/search HTTP/1.1\r\nHost: {platform.GatewayAddress.Authority}\r\nAuthorization: Bearer {key}\r\n" +
            $"Content-Type: application/json\r\nContent-Length: {search.Length}\r\nExpect: 100-continue\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 100", await ReadLineAsync(client.GetStream()), StringComparison.Ordinal);
        await ReadLineAsync(client.GetStream()); // the blank line after the interim answer
        return client;
    }

    [Fact]
    public async Task ARequestPastTheInFlightLimit_WaitsForASlot_AndIsServedWhenOneFrees_WhileOneMoreThanTheLimitWaitingIs429()
    {
        // A long wait, so that only a freed slot or the queue's bound can end it in this test.
        await using var platform = await PlatformHost.StartAsync(postgres, new Dictionary<string, string?> { ["Gateway:InFlightQueueWait"] = "00:00:30" });
        await PutPlanAsync(platform, "two-queued", maxRequestsInFlight: 2);
        var (tenant, key) = await platform.TenantWithKeyAsync("queued", plan: "two-queued");
        using var http = platform.Client(key);
        await WaitRoutedAsync(http);
        (await http.PutAsJsonAsync("/v1/collections/docs", new { dimension = 2 })).EnsureSuccessStatusCode();
        var limits = platform.Gateway.Services.GetRequiredService<InFlightLimits>();
        const string search = "{\"vector\":[1,2],\"top_k\":1}";
        var held = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                held.Add(await HoldSearchAsync(platform, key, search));
            }

            // Two wait (as many as the limit); a third beyond them is refused at once.
            var waiting = Enumerable.Range(0, 2).Select(_ => http.PostAsync(new Uri("/v1/collections/docs/search", UriKind.Relative), new StringContent(search, Encoding.UTF8, "application/json"))).ToList();
            for (var deadline = DateTime.UtcNow.AddSeconds(20); limits.Waiting(tenant) < 2; await Task.Delay(10))
            {
                Assert.True(DateTime.UtcNow < deadline, $"{limits.Waiting(tenant)} waiting");
            }

            using (var refused = await http.PostAsync(new Uri("/v1/collections/docs/search", UriKind.Relative), new StringContent(search, Encoding.UTF8, "application/json")))
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            }

            Assert.All(waiting, w => Assert.False(w.IsCompleted));
            Assert.Equal(2, limits.InFlight(tenant));

            // One held search ends: one waiting request gets its slot and is answered; the other still waits.
            await held[0].GetStream().WriteAsync(Encoding.ASCII.GetBytes(search));
            Assert.StartsWith("HTTP/1.1 200", await ReadLineAsync(held[0].GetStream()), StringComparison.Ordinal);
            var first = await Task.WhenAny(waiting);
            using (var served = await first)
            {
                Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            }

            var second = waiting.Single(w => w != first);
            await held[1].GetStream().WriteAsync(Encoding.ASCII.GetBytes(search));
            using (var served = await second)
            {
                Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            }
        }
        finally
        {
            held.ForEach(c => c.Dispose());
        }

        Assert.Equal(0, limits.Waiting(tenant));
    }

    [Fact]
    public async Task ASlowReaderOfALargeAnswer_IsDisconnected_AndItsRequestEnds()
    {
        await using var platform = await PlatformHost.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["Gateway:MinResponseBytesPerSecond"] = "1048576", // the cut-off comes after about the answer's size over this rate
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
