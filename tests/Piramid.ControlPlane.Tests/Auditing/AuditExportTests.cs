using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Piramid.Audit.Cli;
using Piramid.ControlPlane.Auditing;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Orchestration;
using Piramid.ControlPlane.Tests.Backups;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit;

namespace Piramid.ControlPlane.Tests.Auditing;

/// <summary>
/// <c>GET /v1/tenants/{id}/audit</c> merges the control plane's events and the engine's hash-chained entries in time
/// order, filters and pages them, and exports them as NDJSON with signed anchors that <c>piramid-audit verify</c>
/// checks with the published JWKS; a rolled-back engine log is flagged by the next anchor and fails verification.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AuditExportTests(PostgresFixture postgres)
{
    [Fact]
    public async Task TheTrail_MergesBothSources_Filters_Pages_AndExportsWhatVerifies()
    {
        await using var f = await BackupFixture.StartAsync(postgres, "audit-merge");
        await f.CreateCollectionAsync("docs", 4);
        await f.UpsertAsync("docs", 0, 3, 4, seed: 7);
        (await f.Admin.PostAsJsonAsync($"/v1/tenants/{f.Tenant}/api-keys", new { name = "k", role = "read_only" })).EnsureSuccessStatusCode();
        await f.UpsertAsync("docs", 3, 2, 4, seed: 8);

        var all = await EventsAsync(f, string.Empty);
        Assert.Equal(["collections.create", "points.upsert", "points.upsert"], Actions(all, "data"));
        Assert.Contains("tenant.create", Actions(all, "control"));
        Assert.Contains("api_key.create", Actions(all, "control"));
        var times = all.Select(e => e!["time"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(times.Order(), times);
        var data = all.Where(e => (string)e!["source"]! == "data").ToList();
        Assert.Equal([1L, 2L, 3L], data.Select(e => (long)e!["seq"]!));
        Assert.All(data, e => Assert.Equal("backup-test", (string)e!["actor"]!));
        Assert.All(data, e => Assert.Equal("ok", (string)e!["outcome"]!));
        Assert.Equal((string)data[0]!["hash"]!, (string)data[1]!["prev_hash"]!);

        // Format 2: a write carries its LSN and point count; creating the collection carries neither.
        Assert.All(data, e => Assert.Equal(2, (int)e!["format"]!));
        Assert.Equal([null, 3L, 2L], data.Select(e => (long?)e!["points"]));
        Assert.Null(data[0]!["lsn"]);
        Assert.True((long)data[2]!["lsn"]! > (long)data[1]!["lsn"]!);

        // The control plane's events are chained too: seq 1, 2, ... linked from 64 zeros.
        var control = all.Where(e => (string)e!["source"]! == "control").ToList();
        Assert.Equal(Enumerable.Range(1, control.Count).Select(i => (long)i), control.Select(e => (long)e!["seq"]!));
        Assert.Equal(new string('0', 64), (string)control[0]!["prev_hash"]!);

        Assert.All(await EventsAsync(f, "source=data"), e => Assert.Equal("data", (string)e!["source"]!));
        Assert.All(await EventsAsync(f, "source=control"), e => Assert.Equal("control", (string)e!["source"]!));
        Assert.Equal(2, (await EventsAsync(f, "action=points.upsert")).Count);
        Assert.Equal(3, (await EventsAsync(f, "actor=backup-test")).Count);
        Assert.Equal(["points.upsert"], Actions(await EventsAsync(f, "source=data&from=" + Uri.EscapeDataString(data[2]!["time"]!.ToString())), "data"));
        using (var bad = await f.Admin.GetAsync(new Uri($"/v1/tenants/{f.Tenant}/audit?source=engine", UriKind.Relative)))
        {
            var problem = await TestKit.Http.ProblemAssert.MatchesAsync(bad, Contracts.Problems.ProblemCatalog.InvalidRequest);
            Assert.Contains("'source'", (string)problem["detail"]!, StringComparison.Ordinal);
        }

        // Pages of every size concatenate to the whole merged trail.
        foreach (var limit in new[] { 1, 2, 3, all.Count })
        {
            var seen = new List<string>();
            string? cursor = null;
            do
            {
                var page = (await f.Admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{f.Tenant}/audit?limit={limit}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))))!;
                seen.AddRange(page["events"]!.AsArray().Select(Key));
                cursor = page["next_cursor"]?.GetValue<string>();
            }
            while (cursor is not null);
            Assert.Equal(all.Select(Key), seen);
        }

        var export = await ExportAsync(f);
        Assert.DoesNotContain("point 1", export, StringComparison.Ordinal); // metadata values never leave the engine
        Assert.DoesNotContain("\"vector\"", export, StringComparison.Ordinal);
        var lines = export.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var anchor = JsonNode.Parse(lines[^1])!["anchor"]!;
        Assert.Equal(3, (long)anchor["engine_seq"]!);
        Assert.Equal((string)data[2]!["hash"]!, (string)anchor["engine_hash"]!);

        using var dir = new TempDirectory();
        var exportFile = Path.Combine(dir.Path, "audit.ndjson");
        await File.WriteAllTextAsync(exportFile, export);
        var jwksFile = Path.Combine(dir.Path, "jwks.json");
        await File.WriteAllTextAsync(jwksFile, await f.Admin.GetStringAsync(new Uri("/.well-known/jwks", UriKind.Relative)));
        var (code, output) = await RunCliAsync("verify", exportFile, "--jwks", jwksFile);
        Assert.True(code == 0, output);
        Assert.Contains("3 engine entries (seq 1..3) chained", output, StringComparison.Ordinal);
        Assert.Contains($"{control.Count} control-plane events (seq 1..{control.Count}) chained", output, StringComparison.Ordinal);
        Assert.Equal(control.Count, (long)anchor["control_seq"]!);

        // Kept for docs/AUDIT.md's example: the export and what the tool said of it.
        var example = Path.Combine(RepositoryPaths.Root, ".piramid", "test-results", "audit-example");
        Directory.CreateDirectory(example);
        await File.WriteAllTextAsync(Path.Combine(example, "audit.ndjson"), export);
        await File.WriteAllTextAsync(Path.Combine(example, "verify.txt"), output);

        // One character of one entry changed: the tool names that entry and fails.
        var edited = lines.Select(l => l.Contains("\"seq\":2,", StringComparison.Ordinal) && l.Contains("\"source\":\"data\"", StringComparison.Ordinal)
            ? l.Replace("\"points.upsert\"", "\"points.delete\"", StringComparison.Ordinal) : l);
        await File.WriteAllLinesAsync(exportFile, edited);
        (code, output) = await RunCliAsync("verify", exportFile, "--jwks", jwksFile);
        Assert.True(code == 1, output);
        Assert.StartsWith("FAILED at entry 2 ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEngineLogThatLostItsNewestEntries_IsFlaggedByTheNextAnchor_AndItsExportFailsVerification()
    {
        await using var f = await BackupFixture.StartAsync(postgres, "audit-rollback");
        await f.CreateCollectionAsync("docs", 4);
        var orchestrator = f.Host.App.Services.GetRequiredService<IEngineOrchestrator>();
        await RestartEngineAsync(f, orchestrator); // the next entries go to a segment of their own
        await f.UpsertAsync("docs", 0, 2, 4, seed: 1);
        await f.UpsertAsync("docs", 2, 2, 4, seed: 2);
        var before = await ExportAsync(f); // anchors entry 3
        Assert.Contains("\"engine_seq\":3", before, StringComparison.Ordinal);

        // Roll the data directory's audit log back: its newest segment (entries 2 and 3) disappears.
        string directory;
        await using (var scope = f.Host.App.Services.CreateAsyncScope())
        {
            directory = (await scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>().Engines.SingleAsync(e => e.TenantId == f.Tenant)).DataDirectory;
        }

        await orchestrator.StopAsync(f.Tenant, CancellationToken.None);
        var segments = Directory.GetFiles(Path.Combine(directory, "audit"), "audit-*.log").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, segments.Count);
        File.Delete(segments[^1]);
        await orchestrator.StartAsync(f.Tenant, CancellationToken.None);

        await using (var scope = f.Host.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AuditAnchors>().AnchorAsync(f.Tenant, CancellationToken.None);
        }

        var flagged = await EventsAsync(f, "action=" + AuditAnchors.MismatchAction);
        var mismatch = Assert.Single(flagged);
        Assert.Contains("ends at entry 1, but entry 3 was anchored", (string)mismatch!["after"]!["problem"]!, StringComparison.Ordinal);

        var after = await ExportAsync(f);
        using var reader = new StringReader(after);
        var jwks = new AnchorSignature(await f.Admin.GetStringAsync(new Uri("/.well-known/jwks", UriKind.Relative)));
        var result = ExportVerifier.Verify(ExportReader.Read(reader), jwks);
        Assert.False(result.IsValid);
        Assert.Equal(2, result.FirstBadSeq);
        Assert.Contains("names entry 3, but the export ends at entry 1", result.Problem, StringComparison.Ordinal);
    }

    private static async Task RestartEngineAsync(BackupFixture f, IEngineOrchestrator orchestrator)
    {
        await orchestrator.StopAsync(f.Tenant, CancellationToken.None);
        await orchestrator.StartAsync(f.Tenant, CancellationToken.None);
    }

    private static async Task<List<JsonNode?>> EventsAsync(BackupFixture f, string query)
    {
        var page = await f.Admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{f.Tenant}/audit?{query}");
        return [.. page!["events"]!.AsArray()];
    }

    private static async Task<string> ExportAsync(BackupFixture f)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/tenants/{f.Tenant}/audit");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-ndjson"));
        using var response = await f.Admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static List<string> Actions(List<JsonNode?> events, string source) =>
        [.. events.Where(e => (string)e!["source"]! == source).Select(e => (string)e!["action"]!)];

    private static string Key(JsonNode? e) => $"{e!["source"]}:{e["seq"]}";

    private static async Task<(int Code, string Output)> RunCliAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "piramid-audit.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
