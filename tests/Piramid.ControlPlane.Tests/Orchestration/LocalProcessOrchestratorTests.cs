using System.Diagnostics;
using System.Security.Cryptography;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Tests.Support;
using Xunit.Abstractions;
using static Piramid.ControlPlane.Tests.Orchestration.OrchestrationEnvironment;

namespace Piramid.ControlPlane.Tests.Orchestration;

/// <summary>The local orchestrator with real engine processes and a real PostgreSQL database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class LocalProcessOrchestratorTests(PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Provision_KilledEngine_SupervisorRestartsItWithAcknowledgedPoints()
    {
        await using var env = await CreateAsync(postgres, output);
        await using var controlPlane = await env.StartControlPlaneAsync();
        var (tenant, plan) = await env.SeedTenantAsync("t_kill");

        var provisioning = Stopwatch.StartNew();
        var route = await controlPlane.Contract.ProvisionAsync(tenant, plan, CancellationToken.None);
        output.WriteLine($"TIMING provisioning (request to ready): {provisioning.ElapsedMilliseconds} ms");

        Dictionary<string, float[]> points;
        using (var http = Client(route))
        {
            points = await WritePointsAsync(http, "docs", 50, seed: 7);
        }

        var row = await env.EngineRowAsync(tenant.Id);
        Assert.Equal(EngineState.Running, row!.State);
        var pid = row.ProcessId!.Value;
        Assert.Equal([pid], EngineProcessesFor(row.DataDirectory));

        var restart = Stopwatch.StartNew();
        using (var victim = Process.GetProcessById(pid))
        {
            victim.Kill(); // SIGKILL: no flush, no checkpoint.
        }

        var restarted = await PollAsync(
            async () => await env.EngineRowAsync(tenant.Id) is { State: EngineState.Running } r && r.ProcessId != pid ? r : null,
            "the supervisor restarted the engine");
        var newRoute = await PollAsync(() => Task.FromResult(controlPlane.Contract.GetRoute(tenant.Id)), "the route is published again");
        output.WriteLine($"TIMING restart (SIGKILL to ready): {restart.ElapsedMilliseconds} ms");

        Assert.True(restarted.RestartCount >= 1, $"restart count {restarted.RestartCount}");
        Assert.Equal([restarted.ProcessId!.Value], EngineProcessesFor(row.DataDirectory));
        using (var http = Client(newRoute))
        {
            await AssertPointsAsync(http, "docs", points);
        }
    }

    [Fact]
    public async Task Stop_EngineStaysDown_StartKeepsTheData()
    {
        await using var env = await CreateAsync(postgres, output);
        await using var controlPlane = await env.StartControlPlaneAsync();
        var (tenant, plan) = await env.SeedTenantAsync("t_suspend");
        var route = await controlPlane.Contract.ProvisionAsync(tenant, plan, CancellationToken.None);
        Dictionary<string, float[]> points;
        using (var http = Client(route))
        {
            points = await WritePointsAsync(http, "docs", 20, seed: 3);
        }

        var dataDirectory = controlPlane.Orchestrator.DataDirectoryOf(tenant.Id);
        await controlPlane.Contract.StopAsync(tenant.Id, CancellationToken.None);

        Assert.Empty(EngineProcessesFor(dataDirectory));
        Assert.Null(controlPlane.Contract.GetRoute(tenant.Id));
        Assert.Equal(EngineState.Stopped, (await env.EngineRowAsync(tenant.Id))!.State);

        // Let the supervisor look several times: a stopped engine must not come back.
        var rounds = controlPlane.Orchestrator.SupervisionRounds;
        await PollAsync(() => Task.FromResult(controlPlane.Orchestrator.SupervisionRounds >= rounds + 5 ? "done" : null), "five supervision rounds");
        Assert.Empty(EngineProcessesFor(dataDirectory));
        Assert.Empty(controlPlane.Contract.GetRoutes());

        var resumed = await controlPlane.Contract.StartAsync(tenant.Id, CancellationToken.None);
        Assert.Single(EngineProcessesFor(dataDirectory));
        using (var http = Client(resumed))
        {
            await AssertPointsAsync(http, "docs", points);
        }
    }

    [Fact]
    public async Task ControlPlaneRestart_AdoptsTheRunningEngine_OneProcessPerTenant()
    {
        await using var env = await CreateAsync(postgres, output);
        var first = await env.StartControlPlaneAsync();
        var (tenant, plan) = await env.SeedTenantAsync("t_adopt");
        var route = await first.Contract.ProvisionAsync(tenant, plan, CancellationToken.None);
        Dictionary<string, float[]> points;
        using (var http = Client(route))
        {
            points = await WritePointsAsync(http, "docs", 30, seed: 5);
        }

        var dataDirectory = first.Orchestrator.DataDirectoryOf(tenant.Id);
        var pid = (await env.EngineRowAsync(tenant.Id))!.ProcessId!.Value;
        await first.DisposeAsync();
        Assert.Equal([pid], EngineProcessesFor(dataDirectory)); // The engine outlived its control plane.

        // It leads its own session, so a kill of the control plane's process group or session spares it.
        var stat = await File.ReadAllTextAsync($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        Assert.Equal(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), fields[3]);

        await using var second = await env.StartControlPlaneAsync();
        var adopted = second.Contract.GetRoute(tenant.Id);
        Assert.NotNull(adopted);
        Assert.Equal(route.Endpoint, adopted.Endpoint);
        Assert.Equal(route.EngineSecret, adopted.EngineSecret);
        Assert.Equal(pid, (await env.EngineRowAsync(tenant.Id))!.ProcessId);

        var rounds = second.Orchestrator.SupervisionRounds;
        await PollAsync(() => Task.FromResult(second.Orchestrator.SupervisionRounds >= rounds + 5 ? "done" : null), "five supervision rounds");
        Assert.Equal([pid], EngineProcessesFor(dataDirectory));
        using (var http = Client(adopted))
        {
            await AssertPointsAsync(http, "docs", points);
        }
    }

    [Fact]
    public async Task Provision_KeepsOnlyWrappedKeys_OnDiskAndInTheDatabase()
    {
        await using var env = await CreateAsync(postgres, output);
        await using var controlPlane = await env.StartControlPlaneAsync();
        var (tenant, plan) = await env.SeedTenantAsync("t_keys");
        var route = await controlPlane.Contract.ProvisionAsync(tenant, plan, CancellationToken.None);
        using (var http = Client(route))
        {
            await WritePointsAsync(http, "docs", 10, seed: 11);
        }

        var row = (await env.EngineRowAsync(tenant.Id))!;
        var wrappedFile = await File.ReadAllBytesAsync(Path.Combine(row.DataDirectory, Piramid.KeyWrapping.DataKeyWrap.FileName));
        Assert.Equal(wrappedFile, row.WrappedDataKey);

        // Unwrap by the documented layout (docs/design/encryption.md) with the platform key the test made.
        var clearDataKey = new byte[32];
        using (var gcm = new AesGcm(env.PlatformKey, 16))
        {
            gcm.Decrypt(wrappedFile.AsSpan(16, 12), wrappedFile.AsSpan(28, 32), wrappedFile.AsSpan(60, 16), clearDataKey, wrappedFile.AsSpan(0, 28));
        }

        var clearSecret = route.EngineSecret;
        Assert.Equal(32, clearSecret.Length);
        var scanned = 0;
        foreach (var file in Directory.EnumerateFiles(row.DataDirectory, "*", SearchOption.AllDirectories))
        {
            if (Path.GetFileName(file) == "engine.lock")
            {
                continue; // Empty, and locked by the running engine.
            }

            scanned++;
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.True(bytes.AsSpan().IndexOf(clearDataKey) < 0, $"{file} holds the clear data key");
            Assert.True(bytes.AsSpan().IndexOf(clearSecret) < 0, $"{file} holds the clear engine secret");
        }

        Assert.True(scanned >= 3, $"only {scanned} files scanned: the WAL and manifest should be there");
        Assert.True(row.WrappedDataKey.AsSpan().IndexOf(clearDataKey) < 0, "the row holds the clear data key");
        Assert.True(row.WrappedEngineSecret.AsSpan().IndexOf(clearSecret) < 0, "the row holds the clear engine secret");
        Assert.Equal(61, row.WrappedEngineSecret.Length);

        // The engine's key file holds its own data key and secret, owner-only, outside the data directory.
        var keyFile = controlPlane.Orchestrator.KeyFileOf(tenant.Id);
        var keyText = await File.ReadAllTextAsync(keyFile);
        Assert.Contains($"data-key {Convert.ToBase64String(clearDataKey)}\n", keyText, StringComparison.Ordinal);
        Assert.Contains($"engine-secret {Convert.ToBase64String(clearSecret)}\n", keyText, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead, OperatingSystem.IsWindows() ? UnixFileMode.None : File.GetUnixFileMode(keyFile));
        Assert.False(keyFile.StartsWith(row.DataDirectory, StringComparison.Ordinal), "the key file lives outside the data directory");
    }

    [Fact]
    public async Task Purge_RemovesProcessDirectorySecretAndRecord()
    {
        await using var env = await CreateAsync(postgres, output);
        await using var controlPlane = await env.StartControlPlaneAsync();
        var (tenant, plan) = await env.SeedTenantAsync("t_purge");
        await controlPlane.Contract.ProvisionAsync(tenant, plan, CancellationToken.None);
        var dataDirectory = controlPlane.Orchestrator.DataDirectoryOf(tenant.Id);
        var keyFile = controlPlane.Orchestrator.KeyFileOf(tenant.Id);
        Assert.True(Directory.Exists(dataDirectory));
        Assert.Single(EngineProcessesFor(dataDirectory));

        await controlPlane.Contract.PurgeAsync(tenant.Id, CancellationToken.None);

        Assert.Empty(EngineProcessesFor(dataDirectory));
        Assert.False(Directory.Exists(Path.GetDirectoryName(dataDirectory)), "the tenant's directory is gone");
        Assert.False(File.Exists(keyFile), "the key file is gone");
        Assert.Null(await env.EngineRowAsync(tenant.Id));
        Assert.Null(controlPlane.Contract.GetRoute(tenant.Id));
    }
}
