using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Piramid.Contracts;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Operations;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit.Http;

namespace Piramid.ControlPlane.Tests.Operations;

/// <summary>
/// The operation runner against real PostgreSQL and real HTTP: claim, progress, result, failure as a problem, the
/// outcome of operations whose control plane died, and who may read an operation.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OperationRunnerTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Operation_ReportsProgressWhileRunning_ThenItsResult()
    {
        var gate = new HandlerGate();
        await using var host = await StartAsync(gate);
        var tenant = await AddTenantAsync(host, "ops-progress");
        var op = await EnqueueAsync(host, tenant, GatedHandler.KindName, new { word = "hello" });
        using var admin = await host.ClientAsync(host.Operator);

        await gate.Reported.Task.WaitAsync(Patience);
        var running = await WaitForAsync(admin, $"/v1/tenants/{tenant}/operations/{op}", o => o["progress"]!["bytes"]!.GetValue<long>() == 1234);
        Assert.Equal("running", running["state"]!.GetValue<string>());
        Assert.Equal(50, running["progress"]!["percent"]!.GetValue<double>());
        Assert.Equal(56, running["progress"]!["points"]!.GetValue<long>());

        gate.Release.SetResult();
        var done = await WaitForAsync(admin, $"/v1/tenants/{tenant}/operations/{op}", o => o["state"]!.GetValue<string>() != "running");
        Assert.Equal("succeeded", done["state"]!.GetValue<string>());
        Assert.Equal(100, done["progress"]!["percent"]!.GetValue<double>());
        Assert.Equal("hello", done["result"]!["echo"]!.GetValue<string>());
        Assert.Null(done["error"]);
        Assert.NotNull(done["finished_at"]);
        Assert.Equal(1, gate.Runs);
    }

    [Fact]
    public async Task FailingHandler_FailsTheOperation_WithItsProblem()
    {
        await using var host = await StartAsync(new HandlerGate());
        var tenant = await AddTenantAsync(host, "ops-fail");
        var op = await EnqueueAsync(host, tenant, FailingHandler.KindName, new { });
        using var admin = await host.ClientAsync(host.Operator);

        var done = await WaitForAsync(admin, $"/v1/tenants/{tenant}/operations/{op}", o => o["state"]!.GetValue<string>() is "succeeded" or "failed");
        Assert.Equal("failed", done["state"]!.GetValue<string>());
        Assert.Equal(ProblemCatalog.InvalidRequest.Type, done["error"]!["type"]!.GetValue<string>());
        Assert.Contains("tenants/x/backups/y/a.ckpt", done["error"]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunningOperationsOfDeadOwners_AreFailedVisiblyOrResumed_LiveOnesAreLeftAlone()
    {
        await using var host = await StartAsync(new HandlerGate());
        var tenant = await AddTenantAsync(host, "ops-dead");
        var now = DateTimeOffset.UtcNow;

        // A process of this host that is gone (pid beyond pid_max), a silent owner elsewhere, a live owner elsewhere,
        // and a resumable operation of a dead owner.
        var deadLocal = await InsertRunningAsync(host, tenant, GatedHandler.KindName, $"{Environment.MachineName}:{int.MaxValue}:dead", now);
        var silent = await InsertRunningAsync(host, tenant, GatedHandler.KindName, "elsewhere:1:silent", now - TimeSpan.FromHours(1));
        var live = await InsertRunningAsync(host, tenant, GatedHandler.KindName, "elsewhere:1:live", now + TimeSpan.FromHours(1));
        var resumable = await InsertRunningAsync(host, tenant, ResumableHandler.KindName, "elsewhere:2:gone", now - TimeSpan.FromHours(1));
        host.App.Services.GetRequiredService<OperationSignal>().Signal();
        using var admin = await host.ClientAsync(host.Operator);

        foreach (var id in new[] { deadLocal, silent })
        {
            var failed = await WaitForAsync(admin, $"/v1/tenants/{tenant}/operations/{id}", o => o["state"]!.GetValue<string>() != "running");
            Assert.Equal("failed", failed["state"]!.GetValue<string>());
            Assert.Equal(ProblemCatalog.ServiceUnavailable.Type, failed["error"]!["type"]!.GetValue<string>());
            Assert.Contains("stopped before it finished", failed["error"]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var resumed = await WaitForAsync(admin, $"/v1/tenants/{tenant}/operations/{resumable}", o => o["state"]!.GetValue<string>() == "succeeded");
        Assert.Equal(2, resumed["result"]!["attempt"]!.GetValue<int>());

        // The live owner's heartbeat is fresh: the rounds above passed it by.
        var untouched = await GetAsync(admin, $"/v1/tenants/{tenant}/operations/{live}");
        Assert.Equal("running", untouched["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task ControlPlaneRestart_MidOperation_FailsItVisibly()
    {
        var gate = new HandlerGate();
        await using var host = await StartAsync(gate);
        var tenant = await AddTenantAsync(host, "ops-restart");
        var op = await EnqueueAsync(host, tenant, GatedHandler.KindName, new { word = "x" });
        await gate.Reported.Task.WaitAsync(Patience);

        await host.RestartAsync();
        using var admin = await host.ClientAsync(host.Operator);
        var done = await WaitForAsync(admin, $"/v1/tenants/{tenant}/operations/{op}", o => o["state"]!.GetValue<string>() != "running");
        Assert.Equal("failed", done["state"]!.GetValue<string>());
        Assert.Equal(ProblemCatalog.ServiceUnavailable.Type, done["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task ShortForm_FindsTheTenantFromTheOperation_AndHidesOtherTenants()
    {
        await using var host = await StartAsync(new HandlerGate());
        var tenant = await AddTenantAsync(host, "ops-short-a");
        var other = await AddTenantAsync(host, "ops-short-b");
        var op = await EnqueueAsync(host, tenant, FailingHandler.KindName, new { });
        using var admin = await host.ClientAsync(host.Operator);
        using var gateway = await host.ClientAsync(host.Gateway);

        Assert.Equal(op, (await GetAsync(admin, $"/v1/operations/{op}"))["id"]!.GetValue<string>());
        using (var own = await AsKeyAsync(gateway, $"/v1/operations/{op}", tenant, "read_only"))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        }

        // Another tenant's key: the answer of an operation that does not exist, on both forms.
        var hidden = await ProblemAssert.MatchesAsync(await AsKeyAsync(gateway, $"/v1/operations/{op}", other, "admin"), ProblemCatalog.NotFound);
        var missing = await ProblemAssert.MatchesAsync(await admin.GetAsync(new Uri("/v1/operations/op_nosuch", UriKind.Relative)), ProblemCatalog.NotFound);
        Assert.Equal($"Operation '{op}' does not exist.", hidden["detail"]!.GetValue<string>());
        Assert.Equal("Operation 'op_nosuch' does not exist.", missing["detail"]!.GetValue<string>());
        await ProblemAssert.MatchesAsync(await AsKeyAsync(gateway, $"/v1/tenants/{other}/operations/{op}", other, "admin"), ProblemCatalog.NotFound);
        await ProblemAssert.MatchesAsync(await AsKeyAsync(gateway, $"/v1/tenants/{tenant}/operations/{op}", other, "admin"), ProblemCatalog.NotFound);
    }

    private Task<ControlPlaneHost> StartAsync(HandlerGate gate) =>
        ControlPlaneHost.StartAsync(
            postgres,
            new Dictionary<string, string?>
            {
                ["Operations:PollInterval"] = "00:00:00.100",
                ["Operations:HeartbeatInterval"] = "00:00:00.500",
                ["Operations:StaleAfter"] = "00:00:05",
            },
            b =>
            {
                b.Services.AddSingleton(gate);
                b.Services.AddOperationHandler<GatedHandler>();
                b.Services.AddOperationHandler<FailingHandler>();
                b.Services.AddOperationHandler<ResumableHandler>();
            });

    /// <summary>A tenant row without an engine: the runner needs nothing else.</summary>
    private static async Task<string> AddTenantAsync(ControlPlaneHost host, string name)
    {
        await using var scope = host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        var id = "t_" + name.Replace('-', '_');
        db.Tenants.Add(new Tenant { Id = id, Name = name, PlanId = "free", Status = TenantStatus.Active, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
        return id;
    }

    private static async Task<string> EnqueueAsync(ControlPlaneHost host, string tenant, string kind, object request)
    {
        await using var scope = host.App.Services.CreateAsyncScope();
        var info = await scope.ServiceProvider.GetRequiredService<OperationQueue>().EnqueueAsync(tenant, kind, request, CancellationToken.None);
        Assert.Equal("pending", info.State);
        return info.Id;
    }

    private static async Task<string> InsertRunningAsync(ControlPlaneHost host, string tenant, string kind, string owner, DateTimeOffset heartbeat)
    {
        await using var scope = host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        var id = OperationQueue.NewId("op_");
        db.Operations.Add(new Operation
        {
            Id = id,
            TenantId = tenant,
            Kind = kind,
            State = OperationStates.Running,
            Request = """{"word":"x"}""",
            CreatedAt = heartbeat,
            StartedAt = heartbeat,
            HeartbeatAt = heartbeat,
            Owner = owner,
            Attempts = 1,
        });
        await db.SaveChangesAsync();
        return id;
    }

    private static Task<HttpResponseMessage> AsKeyAsync(HttpClient gateway, string path, string tenant, string role)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add(HeaderNames.KeyTenant, tenant);
        request.Headers.Add(HeaderNames.KeyRole, role);
        return gateway.SendAsync(request);
    }

    private static async Task<JsonObject> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return body!;
    }

    /// <summary>Polls until <paramref name="done"/> holds; the runner works on its own clock, so there is nothing to await.</summary>
    private static async Task<JsonObject> WaitForAsync(HttpClient http, string path, Func<JsonObject, bool> done)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (true)
        {
            var body = await GetAsync(http, path);
            if (done(body))
            {
                return body;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"{path} never got there: {body}");
            await Task.Delay(50);
        }
    }
}
