using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Piramid.Backups.Stores.FaultInjection;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit;
using static Piramid.ControlPlane.Tests.Backups.BackupFixture;

namespace Piramid.ControlPlane.Tests.Backups;

/// <summary>
/// Issue 18, "Kill the engine and the control plane in the middle of a backup and of a restore": real engine
/// processes and a real control plane process, each SIGKILLed while the store's flow is stopped at a known byte
/// (<see cref="PausingBackupStore"/>, <c>Backups:TestPause:*</c>), never after a sleep. Afterwards the operation has
/// ended (failed, saying why), nothing acknowledged is lost, a half-made backup is never restorable, and the live
/// collection serves either its previous data or the restored data.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class BackupCrashTests(PostgresFixture postgres)
{
    private const int Points = 24_000;

    // The log segment being copied when the flow stops must be bigger than what the sockets hold in flight on
    // loopback (the receive window grows to several MiB), so that the kill cuts its body in the middle instead of
    // the engine having sent all of it already: about 40 MB of log.
    private const int UploadPoints = 72_000;
    private const int Dimension = 128;
    private const long PauseAfter = 512 * 1024;

    [Fact]
    public async Task EngineKilledMidUpload_FailsTheBackupNamingTheEngine_NeverRestorable_NoWriteLost()
    {
        await using var f = await StartPausedAsync("crash-engine-backup", "put");
        var before = await LoadAsync(f, UploadPoints);

        var location = await StartOperationAsync(f, $"/v1/tenants/{f.Tenant}/backups", new { });
        var pause = f.Host.App.Services.GetRequiredService<PausingBackupStore>();
        await pause.Paused.WaitAsync(Patience);
        await KillEngineAsync(f);
        pause.Release();

        var op = await f.WaitFinishedAsync(location);
        Assert.Equal("failed", op["state"]!.GetValue<string>());
        Assert.True(ProblemCatalog.EngineUnavailable.Type == op["error"]!["type"]!.GetValue<string>(), op.ToJsonString());
        Assert.True(op["error"]!["detail"]!.GetValue<string>().Contains("stopped while sending", StringComparison.Ordinal),
            op.ToJsonString() + "\n" + string.Join('\n', f.Host.Logs.Text.Split('\n').Where(l => l.Contains("Backup", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal)).TakeLast(40)));
        await AssertNeverRestorableAsync(f, op);
        Assert.Equal(before, await HashOnceTheEngineIsBackAsync(f));
    }

    [Fact]
    public async Task EngineKilledMidRestore_FailsTheRestore_AndThePreviousDataServesWhole()
    {
        await using var f = await StartPausedAsync("crash-engine-restore", "read");
        await LoadAsync(f);
        var backupId = await f.BackupAsync();
        await f.UpsertAsync("docs", 0, 500, Dimension, seed: 9); // the live data now differs from the backup
        var live = await f.ContentHashAsync("docs");

        var location = await StartOperationAsync(f, $"/v1/tenants/{f.Tenant}/restore", new { backup_id = backupId });
        var pause = f.Host.App.Services.GetRequiredService<PausingBackupStore>();
        await pause.Paused.WaitAsync(Patience);
        var dataDirectory = await KillEngineAsync(f);
        pause.Release();

        var op = await f.WaitFinishedAsync(location);
        Assert.Equal("failed", op["state"]!.GetValue<string>());
        Assert.True(ProblemCatalog.EngineUnavailable.Type == op["error"]!["type"]!.GetValue<string>(), op.ToJsonString());
        Assert.Equal(live, await HashOnceTheEngineIsBackAsync(f));
        Assert.Empty(Directory.EnumerateDirectories(dataDirectory, ".restore-*"));
    }

    [Fact]
    public async Task ControlPlaneKilledMidBackup_FailsTheOperationAfterRestart_NeverRestorable_NoWriteLost()
    {
        await using var f = await BackupFixture.StartAsync(postgres, "crash-cp-backup", store: new Dictionary<string, string?> { ["Backups:ScheduleInterval"] = "00:00:00.200" });
        var before = await LoadAsync(f);
        using var temp = new TempDirectory("piramid-crash");
        var signal = temp.Combine("paused");

        await f.Host.StopAsync();
        string location;
        using (var process = await ControlPlaneProcess.StartAsync(f.Host, PauseSettings("put", signal), Patience))
        {
            location = await StartOperationAsync(f, $"/v1/tenants/{f.Tenant}/backups", new { });
            await WaitForFileAsync(signal, process);
            Assert.Equal(process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), (await File.ReadAllTextAsync(signal)).Trim());
            process.Kill();
        }

        await f.Host.StartAgainAsync();
        var op = await f.WaitFinishedAsync(location);
        Assert.Equal("failed", op["state"]!.GetValue<string>());
        Assert.True(ProblemCatalog.ServiceUnavailable.Type == op["error"]!["type"]!.GetValue<string>(), op.ToJsonString());
        Assert.Contains("stopped before it finished", op["error"]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertNeverRestorableAsync(f, op);
        Assert.Equal(before, await f.ContentHashAsync("docs"));
        await AssertLeftoversRemovedAsync(f, op);

        // A new backup after the crash is whole and restores what was there.
        var again = await f.BackupAsync();
        using (var engine = f.Engine())
        {
            await SendAsync(engine, HttpMethod.Delete, "/v1/collections/docs", null, HttpStatusCode.NoContent);
        }

        var restore = await f.RunOperationAsync($"/v1/tenants/{f.Tenant}/restore", new { backup_id = again });
        Assert.True(restore["state"]!.GetValue<string>() == "succeeded", restore.ToJsonString());
        Assert.Equal(before, await f.ContentHashAsync("docs"));
    }

    [Fact]
    public async Task ControlPlaneKilledMidRestore_FailsTheOperationAfterRestart_LiveDataUntouched_StagingDiscarded_AndARetryRestores()
    {
        await using var f = await BackupFixture.StartAsync(postgres, "crash-cp-restore");
        var backedUp = await LoadAsync(f);
        var backupId = await f.BackupAsync();
        await f.UpsertAsync("docs", 0, 500, Dimension, seed: 9);
        var live = await f.ContentHashAsync("docs");
        using var temp = new TempDirectory("piramid-crash");
        var signal = temp.Combine("paused");

        var engine = await EngineRowAsync(f);
        await f.Host.StopAsync();
        string location;
        using (var process = await ControlPlaneProcess.StartAsync(f.Host, PauseSettings("read", signal), Patience))
        {
            location = await StartOperationAsync(f, $"/v1/tenants/{f.Tenant}/restore", new { backup_id = backupId });
            await WaitForFileAsync(signal, process);
            Assert.NotEmpty(Directory.EnumerateDirectories(engine.DataDirectory, ".restore-*")); // the dead run's staging area
            process.Kill();
        }

        await f.Host.StartAgainAsync();
        var op = await f.WaitFinishedAsync(location);
        Assert.Equal("failed", op["state"]!.GetValue<string>());
        Assert.True(ProblemCatalog.ServiceUnavailable.Type == op["error"]!["type"]!.GetValue<string>(), op.ToJsonString());
        Assert.Contains("each chosen collection serves either its previous data or the restored data", op["error"]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(live, await f.ContentHashAsync("docs"));

        // The control plane that failed the operation had the engine discard the staging area; the engine never restarted.
        await WaitNoStagingAsync(engine.DataDirectory);
        Assert.Equal(engine.ProcessId, (await EngineRowAsync(f)).ProcessId);
        Assert.False(System.Diagnostics.Process.GetProcessById(engine.ProcessId).HasExited);

        // A successful restore leaves no staging area either (it holds the replaced collection's files).
        var retry = await f.RunOperationAsync($"/v1/tenants/{f.Tenant}/restore", new { backup_id = backupId });
        Assert.True(retry["state"]!.GetValue<string>() == "succeeded", retry.ToJsonString());
        Assert.Equal(backedUp, await f.ContentHashAsync("docs"));
        Assert.Empty(Directory.EnumerateDirectories(engine.DataDirectory, ".restore-*"));
        Assert.Equal(engine.ProcessId, (await EngineRowAsync(f)).ProcessId);
    }

    private static async Task<(string DataDirectory, int ProcessId)> EngineRowAsync(BackupFixture f)
    {
        await using var scope = f.Host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        var row = await db.Engines.AsNoTracking().SingleAsync(e => e.TenantId == f.Tenant);
        return (row.DataDirectory, row.ProcessId!.Value);
    }

    private static async Task WaitNoStagingAsync(string dataDirectory)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (Directory.EnumerateDirectories(dataDirectory, ".restore-*").Any())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"the dead restore's staging area under {dataDirectory} was never discarded");
            await Task.Delay(50); // polling the recovery round that fails the operation and then discards
        }
    }

    private Task<BackupFixture> StartPausedAsync(string name, string on) =>
        BackupFixture.StartAsync(postgres, name, store: PauseSettings(on, null));

    private static Dictionary<string, string?> PauseSettings(string on, string? signal) => new()
    {
        ["Backups:TestPause:AfterBytes"] = PauseAfter.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Backups:TestPause:On"] = on,
        ["Backups:TestPause:SignalFile"] = signal,
    };

    private static async Task<(string Hash, int Count)> LoadAsync(BackupFixture f, int points = Points)
    {
        await f.CreateCollectionAsync("docs", Dimension);
        await f.UpsertAsync("docs", 0, points, Dimension, seed: 5);
        var hash = await f.ContentHashAsync("docs");
        Assert.Equal(points, hash.Count);
        return hash;
    }

    /// <summary>Posts, expects 202, returns the operation's path without waiting for it.</summary>
    private static async Task<string> StartOperationAsync(BackupFixture f, string path, object body)
    {
        using var response = await f.Admin.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response.Headers.Location!.ToString();
    }

    /// <summary>SIGKILLs the tenant's engine and waits until it is gone; returns its data directory.</summary>
    private static async Task<string> KillEngineAsync(BackupFixture f)
    {
        await using var scope = f.Host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        var row = await db.Engines.AsNoTracking().SingleAsync(e => e.TenantId == f.Tenant);
        using var engine = System.Diagnostics.Process.GetProcessById(row.ProcessId!.Value);
        engine.Kill();
        await engine.WaitForExitAsync();
        return row.DataDirectory;
    }

    /// <summary>The collection's content hash once the supervisor has restarted the engine.</summary>
    private static async Task<(string Hash, int Count)> HashOnceTheEngineIsBackAsync(BackupFixture f)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (true)
        {
            try
            {
                return await f.ContentHashAsync("docs");
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or Xunit.Sdk.XunitException && DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(200); // polling the supervisor's restart, not synchronising on time
            }
        }
    }

    /// <summary>The backup of a failed operation is listed failed, has no manifest, and a restore from it is refused.</summary>
    private static async Task AssertNeverRestorableAsync(BackupFixture f, JsonObject op)
    {
        var listed = await SendAsync(f.Admin, HttpMethod.Get, $"/v1/tenants/{f.Tenant}/backups", null, HttpStatusCode.OK);
        var backup = Assert.Single(listed["backups"]!.AsArray(), b => b!["operation_id"]?.GetValue<string>() == op["id"]!.GetValue<string>())!;
        Assert.Equal("failed", backup["state"]!.GetValue<string>());
        var id = backup["id"]!.GetValue<string>();
        Assert.False(File.Exists(Path.Combine(f.StoreDirectory, "tenants", f.Tenant, "backups", id, "manifest.json")));
        var refused = await SendAsync(f.Admin, HttpMethod.Post, $"/v1/tenants/{f.Tenant}/restore", new { backup_id = id }, HttpStatusCode.BadRequest);
        Assert.Contains("not completed", refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>The partial objects the dead control plane had stored are removed by the next one's janitor, not left to retention.</summary>
    private static async Task AssertLeftoversRemovedAsync(BackupFixture f, JsonObject op)
    {
        var listed = await SendAsync(f.Admin, HttpMethod.Get, $"/v1/tenants/{f.Tenant}/backups", null, HttpStatusCode.OK);
        var id = listed["backups"]!.AsArray().Single(b => b!["operation_id"]?.GetValue<string>() == op["id"]!.GetValue<string>())!["id"]!.GetValue<string>();
        var prefix = Path.Combine(f.StoreDirectory, "tenants", f.Tenant, "backups", id);
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (Directory.Exists(prefix) && Directory.EnumerateFiles(prefix, "*", SearchOption.AllDirectories).Any())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"the partial objects under {prefix} were never removed");
            await Task.Delay(50); // polling the janitor's round (Backups:ScheduleInterval, 0.2 s here)
        }
    }

    private static async Task WaitForFileAsync(string path, ControlPlaneProcess process)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"the control plane never reached the pause:\n{process.Output}");
            await Task.Delay(50); // polling the signal the paused process writes
        }
    }
}
