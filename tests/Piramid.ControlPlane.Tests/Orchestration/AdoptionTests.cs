using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Tests.Support;
using Piramid.KeyWrapping;
using Piramid.TestKit;
using Piramid.TestKit.Processes;
using Xunit.Abstractions;
using static Piramid.ControlPlane.Tests.Orchestration.OrchestrationEnvironment;

namespace Piramid.ControlPlane.Tests.Orchestration;

/// <summary>
/// Adoption accepts only the tenant's real engine: a process that merely names the data directory in its
/// environment, or a real engine binary without the tenant's secret, is never adopted; the real engine runs.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AdoptionTests(PostgresFixture postgres, ITestOutputHelper output)
{
    // Answers 200 to every GET (ready, challenge, anything) on the port it is given: an engine in all but fact.
    private const string FakeEngine = """
        import http.server, sys
        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200); self.end_headers(); self.wfile.write(b"0" * 64)
            def log_message(self, *args): pass
        http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
        """;

    [Fact]
    public async Task ControlPlaneRestart_FakeProcessNamingTheDirectory_IsNotAdopted_RealEngineStarts()
    {
        await using var env = await CreateAsync(postgres, output);
        var (tenant, points, old) = await ProvisionThenLoseTheEngineAsync(env, "t_fake");

        var fake = new ProcessStartInfo("python3") { UseShellExecute = false };
        fake.ArgumentList.Add("-c");
        fake.ArgumentList.Add(FakeEngine);
        fake.ArgumentList.Add(old.Endpoint!.Split(':')[^1]);
        fake.Environment["Engine__DataDirectory"] = old.DataDirectory;
        fake.Environment["Engine__TenantId"] = tenant;
        fake.Environment["ASPNETCORE_URLS"] = old.Endpoint;
        using var impostor = Process.Start(fake)!;
        try
        {
            await WaitAnswersAsync(new Uri(old.Endpoint));
            await using var controlPlane = await env.StartControlPlaneAsync();
            var route = await PollAsync(() => Task.FromResult(controlPlane.Contract.GetRoute(tenant)), "a route is published");
            var row = (await env.EngineRowAsync(tenant))!;

            Assert.NotEqual(impostor.Id, row.ProcessId);
            Assert.NotEqual(old.Endpoint, route.Endpoint.GetLeftPart(UriPartial.Authority)); // The fake holds that port.
            Assert.Equal(Path.GetFullPath(EngineBinaryPath()), new FileInfo($"/proc/{row.ProcessId}/exe").LinkTarget);
            Assert.False(impostor.HasExited, "a process that is not the engine binary must not be signalled");
            using var http = Client(route);
            await AssertPointsAsync(http, "docs", points);
        }
        finally
        {
            impostor.Kill();
            await impostor.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task ControlPlaneRestart_RealBinaryWithAnotherSecret_IsNotAdopted_RealEngineStarts()
    {
        Assert.True(Environment.IsPrivilegedProcess, "the impostor runs as the tenant's uid, which needs root");
        await using var env = await CreateAsync(postgres, output);
        var (tenant, points, old) = await ProvisionThenLoseTheEngineAsync(env, "t_other_secret");
        using var temp = new TempDirectory("piramid-impostor");
        using var impostor = StartImpostorEngine(env, tenant, old, temp, new Uri(old.Endpoint!).Port);
        try
        {
            await WaitAnswersAsync(new Uri(old.Endpoint!));
            await using var controlPlane = await env.StartControlPlaneAsync();
            var route = await PollAsync(() => Task.FromResult(controlPlane.Contract.GetRoute(tenant)), "a route is published");
            var row = (await env.EngineRowAsync(tenant))!;

            Assert.NotEqual(impostor.Id, row.ProcessId);
            Assert.True(impostor.WaitForExit(TimeSpan.FromSeconds(30)), "a stray engine binary on the directory is stopped as an orphan");
            using var http = Client(route);
            await AssertPointsAsync(http, "docs", points);
        }
        finally
        {
            if (!impostor.HasExited)
            {
                impostor.Kill();
            }
        }
    }

    [Fact]
    public async Task Start_LockHeldByEngineBinaryWithoutTheSecret_FailsTheChallenge_NotRouted()
    {
        Assert.True(Environment.IsPrivilegedProcess, "the impostor runs as the tenant's uid, which needs root");
        await using var env = await CreateAsync(postgres, output);
        await using var controlPlane = await env.StartControlPlaneAsync();
        var (tenant, plan) = await env.SeedTenantAsync("t_challenge");
        await controlPlane.Contract.ProvisionAsync(tenant, plan, CancellationToken.None);
        await controlPlane.Contract.StopAsync(tenant.Id, CancellationToken.None);
        var row = (await env.EngineRowAsync(tenant.Id))!;

        // Same binary, same uid, same directory (it takes the lock), listening on loopback: only the secret differs.
        using var temp = new TempDirectory("piramid-impostor");
        using var impostor = StartImpostorEngine(env, tenant.Id, row, temp, LoopbackPort.GetFree());
        try
        {
            await PollAsync(() => Task.FromResult(EngineProcessesFor(row.DataDirectory).Contains(impostor.Id) ? "up" : null), "the impostor runs");
            await WaitAnswersAsync(new Uri(ImpostorUrl(impostor)));

            await Assert.ThrowsAsync<InvalidOperationException>(() => controlPlane.Contract.StartAsync(tenant.Id, CancellationToken.None));
            Assert.Null(controlPlane.Contract.GetRoute(tenant.Id));
            Assert.NotEqual(impostor.Id, (await env.EngineRowAsync(tenant.Id))!.ProcessId);
        }
        finally
        {
            await controlPlane.Contract.StopAsync(tenant.Id, CancellationToken.None);
            if (!impostor.HasExited)
            {
                impostor.Kill();
            }
        }
    }

    /// <summary>Provisions, writes points, shuts the control plane down and kills the engine: the row still names it.</summary>
    private static async Task<(string Tenant, Dictionary<string, float[]> Points, EngineRecord Row)> ProvisionThenLoseTheEngineAsync(
        OrchestrationEnvironment env, string tenantId)
    {
        var first = await env.StartControlPlaneAsync();
        var (tenant, plan) = await env.SeedTenantAsync(tenantId);
        var route = await first.Contract.ProvisionAsync(tenant, plan, CancellationToken.None);
        Dictionary<string, float[]> points;
        using (var http = Client(route))
        {
            points = await WritePointsAsync(http, "docs", 20, seed: 23);
        }

        await first.DisposeAsync();
        var row = (await env.EngineRowAsync(tenantId))!;
        using (var engine = Process.GetProcessById(row.ProcessId!.Value))
        {
            engine.Kill();
            await engine.WaitForExitAsync();
        }

        await PollAsync(() => Task.FromResult(EngineProcessesFor(row.DataDirectory).Count == 0 ? "gone" : null), "the engine is gone");
        return (tenantId, points, row);
    }

    /// <summary>The real engine binary, as the tenant's uid, on the tenant's directory, with the right data key but a secret of its own.</summary>
    private static Process StartImpostorEngine(OrchestrationEnvironment env, string tenantId, EngineRecord row, TempDirectory temp, int port)
    {
        var uid = row.OsUserId!.Value;
        var keyFile = temp.Combine("impostor.keys");
        using (var platformKey = PlatformKey.FromBase64(Convert.ToBase64String(env.PlatformKey)))
        {
            var dataKey = new byte[DataKeyWrap.KeyLength];
            DataKeyWrap.Unwrap(row.WrappedDataKey, platformKey, dataKey);
            File.WriteAllBytes(keyFile, EngineKeyFile.Format(tenantId, dataKey, RandomNumberGenerator.GetBytes(32)));
        }

        Chown(keyFile, uid);
        var info = new ProcessStartInfo("setpriv") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[$"--reuid={uid}", $"--regid={uid}", "--clear-groups", "--", EngineBinaryPath()])
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        info.Environment["Engine__DataDirectory"] = row.DataDirectory;
        info.Environment["Engine__TenantId"] = tenantId;
        info.Environment["Engine__KeyFile"] = keyFile;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static string ImpostorUrl(Process impostor) =>
        File.ReadAllText($"/proc/{impostor.Id.ToString(CultureInfo.InvariantCulture)}/environ").Split('\0')
            .Single(e => e.StartsWith("ASPNETCORE_URLS=", StringComparison.Ordinal))["ASPNETCORE_URLS=".Length..];

    private static string EngineBinaryPath()
    {
        var binary = EngineBinary.ForOtherUsers();
        Assert.False(binary.EndsWith(".dll", StringComparison.Ordinal), "these tests run the Native AOT engine: export PIRAMID_ENGINE_BINARY");
        return binary;
    }

    private static void Chown(string path, int uid)
    {
        using var chown = Process.Start("chown", [$"{uid}:{uid}", path]);
        chown.WaitForExit();
        Assert.Equal(0, chown.ExitCode);
    }

    private static async Task WaitAnswersAsync(Uri endpoint)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await PollAsync(
            async () =>
            {
                try
                {
                    using var response = await http.GetAsync(new Uri(endpoint, "/health/ready"));
                    return response.IsSuccessStatusCode ? "ready" : null;
                }
                catch (HttpRequestException)
                {
                    return null;
                }
            },
            $"{endpoint} answers");
    }
}
