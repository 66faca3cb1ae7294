using System.Net;
using System.Net.Sockets;
using System.Text;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Orchestration;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit;
using Piramid.TestKit.Processes;
using Xunit.Abstractions;
using static Piramid.ControlPlane.Tests.Orchestration.OrchestrationEnvironment;

namespace Piramid.ControlPlane.Tests.Orchestration;

/// <summary>
/// An engine's port is its tenant's alone: never handed to another engine, and never taken as ready when the process
/// answering on it cannot prove it holds the tenant's secret (the requests routed there would go to someone else).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class EnginePortTests(PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public void PickPort_PreviousPortFreeAndHeldByNoOne_IsKept()
    {
        var previous = EngineProcesses.PickPort(null, new HashSet<int>());

        Assert.Equal(previous, EngineProcesses.PickPort(previous, new HashSet<int>()));
    }

    [Fact]
    public void PickPort_PreviousPortHeldByAnotherEngine_IsNotReused()
    {
        // Free as far as the kernel knows (a hibernated engine's port, or one picked for an engine not listening yet).
        var previous = EngineProcesses.PickPort(null, new HashSet<int>());

        var picked = EngineProcesses.PickPort(previous, new HashSet<int> { previous });

        Assert.NotEqual(previous, picked);
    }

    [Fact]
    public void PickPort_ManyPicksInARow_NeverReturnAPortAlreadyHeld()
    {
        // Each pick is booked before the next, as the orchestrator does, and none of them is listened on.
        var held = new HashSet<int>();
        for (var i = 0; i < 300; i++)
        {
            var port = EngineProcesses.PickPort(i % 3 == 0 && held.Count > 0 ? held.First() : null, held);
            Assert.True(held.Add(port), $"pick {i} returned port {port}, already held");
        }
    }

    [Fact]
    public async Task Start_AnotherProcessAnswersReadyOnThePickedPort_TheEngineIsRestartedOnAPortOfItsOwn()
    {
        using var scripts = new TempDirectory("piramid-slow-engine");
        await using var env = await CreateAsync(postgres, output);
        await using var controlPlane = await env.StartControlPlaneAsync(SlowStartingEngine(scripts, TimeSpan.FromSeconds(2)));
        var (tenant, plan) = await env.SeedTenantAsync("t_port");

        var provisioning = Task.Run(() => controlPlane.Contract.ProvisionAsync(tenant, plan, CancellationToken.None));

        // The engine's port is recorded before the engine listens on it; the impostor takes it in that window and
        // answers every request with 200, /health/ready among them.
        var row = await PollAsync(async () => await env.EngineRowAsync(tenant.Id) is { Endpoint: not null } r ? r : null, "the engine's port is recorded");
        var taken = new Uri(row.Endpoint!);
        using var impostor = new TcpListener(IPAddress.Loopback, taken.Port);
        impostor.Start();
        using var stop = new CancellationTokenSource();
        var answering = AnswerOkAsync(impostor, stop.Token);

        try
        {
            await provisioning; // Either way: refused as not ready (the supervisor restarts it), or ready elsewhere.
        }
        catch (InvalidOperationException)
        {
        }

        var route = await PollAsync(
            async () => controlPlane.Contract.GetRoute(tenant.Id) is { } r && await env.EngineRowAsync(tenant.Id) is { State: EngineState.Running } ? r : null,
            "the engine runs");
        Assert.NotEqual(taken.Port, route.Endpoint.Port);
        using (var http = Client(route))
        {
            var points = await WritePointsAsync(http, "docs", 10, seed: 5);
            await AssertPointsAsync(http, "docs", points);
        }

        await stop.CancelAsync();
        impostor.Stop();
        await answering;
    }

    // The engine build behind a shell that sleeps first: the port is picked and recorded, and not yet listened on.
    private static string SlowStartingEngine(TempDirectory directory, TimeSpan delay)
    {
        var engine = EngineBinary.ForOtherUsers();
        var run = engine.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? $"\"{Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet"}\" \"{engine}\""
            : $"\"{engine}\"";
        var script = directory.Combine("slow-engine.sh");
        File.WriteAllText(script, $"#!/bin/sh\nsleep {delay.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}\nexec {run}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101); // Run by the engine's uid when engines get uids of their own.
        }

        return script;
    }

    private static async Task AnswerOkAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        var ok = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nok");
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var client = await listener.AcceptTcpClientAsync(cancellationToken);
                var stream = client.GetStream();
                var buffer = new byte[8192];
                var read = 0;
                while (read < buffer.Length && !Encoding.ASCII.GetString(buffer, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
                    if (n == 0)
                    {
                        break;
                    }

                    read += n;
                }

                await stream.WriteAsync(ok, cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }
}
