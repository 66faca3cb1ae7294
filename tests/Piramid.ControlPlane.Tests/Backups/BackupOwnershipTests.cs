using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Piramid.Backups.Stores;
using Piramid.Backups.Stores.FaultInjection;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Backups;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Operations;
using Piramid.ControlPlane.Tests.Support;
using static Piramid.ControlPlane.Tests.Backups.BackupFixture;

namespace Piramid.ControlPlane.Tests.Backups;

/// <summary>
/// The janitor and a live owner (docs/design/backups.md, "Crash tests"): a control plane whose heartbeat looked stale can
/// have its backup failed by another and its objects deleted by the janitor while it still runs. Its completion is then
/// refused (conditional on the backup still running and the operation still being its own), and it deletes what it wrote
/// since: the backup never reads "completed" with files missing, and the store keeps nothing of it. Deterministic: the
/// owner is held inside a put (<see cref="PausingBackupStore"/>) while the other side acts, and its runner never writes
/// progress or heartbeats in between (intervals of an hour), so only the completion's own condition can stop it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class BackupOwnershipTests(PostgresFixture postgres)
{
    [Fact]
    public async Task OwnerCompletingAfterTheJanitorGaveItUp_DoesNotComplete_AndLeavesNoObject()
    {
        await using var f = await BackupFixture.StartAsync(postgres, "janitor-race", store: new Dictionary<string, string?>
        {
            ["Backups:TestPause:AfterBytes"] = "262144",
            ["Backups:TestPause:On"] = "put",
            ["Operations:HeartbeatInterval"] = "01:00:00",
            ["Operations:ProgressInterval"] = "01:00:00",
            ["Operations:StaleAfter"] = "03:00:00",
        });
        await f.CreateCollectionAsync("docs", 64);
        await f.UpsertAsync("docs", 0, 3000, 64, seed: 1);

        using var accepted = await f.Admin.PostAsJsonAsync(new Uri($"/v1/tenants/{f.Tenant}/backups", UriKind.Relative), new { });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var operationId = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var pause = f.Host.App.Services.GetRequiredService<PausingBackupStore>();
        await pause.Paused.WaitAsync(Patience);

        await using var scope = f.Host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        var backupId = await db.Backups.Where(b => b.OperationId == operationId).Select(b => b.Id).SingleAsync();

        // What another control plane does when this one's heartbeat is stale (OperationRunner.Recovery), then its janitor.
        var error = OperationProblems.ToJson(ProblemCatalog.ServiceUnavailable, "stopped before it finished");
        Assert.Equal(1, await db.Operations.Where(o => o.Id == operationId && o.State == OperationStates.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.State, OperationStates.Failed).SetProperty(o => o.Error, error).SetProperty(o => o.FinishedAt, DateTimeOffset.UtcNow)));
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<BackupJanitor>().RunAsync(CancellationToken.None));

        // The owner goes on: the rest of the files and the manifest, then the completion.
        pause.Release();
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (!f.Host.Logs.Text.Contains($"Backup {backupId} of tenant {f.Tenant}", StringComparison.Ordinal))
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "the owner never finished");
            await Task.Delay(50); // polling the owner's end, which logs either way
        }

        Assert.DoesNotContain($"Backup {backupId} of tenant {f.Tenant} completed", f.Host.Logs.Text, StringComparison.Ordinal);
        var backup = await SendAsync(f.Admin, HttpMethod.Get, $"/v1/tenants/{f.Tenant}/backups/{backupId}", null, HttpStatusCode.OK);
        Assert.Equal("failed", backup["state"]!.GetValue<string>());
        Assert.Equal("failed", (await db.Backups.AsNoTracking().SingleAsync(b => b.Id == backupId)).State);
        var store = f.Host.App.Services.GetRequiredService<IBackupStore>();
        var left = new List<string>();
        await foreach (var o in store.ListAsync(BackupObjects.BackupPrefix(f.Tenant, backupId), CancellationToken.None))
        {
            left.Add(o.Key);
        }

        Assert.Empty(left);
    }
}
