using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Piramid.EndToEnd.Tests.Support;
using Piramid.TestKit;
using Xunit.Abstractions;

namespace Piramid.EndToEnd.Tests;

/// <summary>
/// The Terraform provider with the real terraform binary against the platform <c>./piramid up</c> started: the complete
/// example from init (offline, through the terraform.rc that up wrote) to destroy, and its <c>terraform test</c> files.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class TerraformTests(LocalPlatform platform, ITestOutputHelper output) : IDisposable
{
    private static readonly string Example = Path.Combine(RepositoryPaths.Root, "infra", "terraform", "examples", "complete");

    // Terraform's working directories live outside the platform's state, which must stay owner-only
    // (LocalStateTests): terraform writes its files with the usual 0644.
    private readonly TempDirectory _work = new("piramid-terraform");

    public void Dispose() => _work.Dispose();

    [TerraformFact]
    public async Task CompleteExample_InitPlanApply_EmptyPlan_Change_Drift_Import_Destroy()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var terraform = NewWorkspace();
        string[] names = ["-var", $"plan_id=tf-{suffix}", "-var", $"tenant_name=tf-{suffix}"];
        using var admin = await platform.OperatorAsync();

        var init = await terraform.RunAsync("init", "-input=false", "-no-color");
        Assert.True(init.ExitCode == 0, init.Output);
        Assert.Contains("piramid/piramid v0.1.0", init.Output, StringComparison.Ordinal);

        var plan = await terraform.RunAsync(["plan", "-input=false", "-no-color", "-detailed-exitcode", "-out=tfplan", .. names]);
        Assert.True(plan.ExitCode == 2, plan.Output);
        Assert.Contains("Plan: 7 to add, 0 to change, 0 to destroy.", plan.Output, StringComparison.Ordinal);
        output.WriteLine($"terraform plan: {plan.Elapsed.TotalSeconds:F1} s\n{plan.Output}");

        var apply = await terraform.RunAsync("apply", "-input=false", "-no-color", "tfplan");
        Assert.True(apply.ExitCode == 0, apply.Output);
        Assert.Contains("Apply complete! Resources: 7 added, 0 changed, 0 destroyed.", apply.Output, StringComparison.Ordinal);
        output.WriteLine($"terraform apply: {apply.Elapsed.TotalSeconds:F1} s");

        var again = await terraform.RunAsync(["plan", "-input=false", "-no-color", "-detailed-exitcode", .. names]);
        Assert.True(again.ExitCode == 0, "a second plan after apply must be empty:\n" + again.Output);

        var tenantId = (await terraform.RunAsync("output", "-raw", "tenant_id")).Output.Trim();
        var adminKey = (await terraform.RunAsync("output", "-raw", "admin_key")).Output.Trim();
        var searchKey = (await terraform.RunAsync("output", "-raw", "search_key")).Output.Trim();
        using var tenant = platform.Tenant(adminKey);
        var created = await admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{tenantId}");
        Assert.Equal($"tf-{suffix}", created!["plan"]!.GetValue<string>());
        var plans = (await admin.GetFromJsonAsync<JsonObject>("/v1/plans"))!["plans"]!.AsArray();
        var scheduled = plans.Single(p => p!["id"]!.GetValue<string>() == $"tf-{suffix}")!;
        Assert.Equal(24, scheduled["backup_interval_hours"]!.GetValue<int>());
        Assert.Equal(14, scheduled["backup_retention_days"]!.GetValue<int>());
        var docs = await tenant.GetFromJsonAsync<JsonObject>("/v1/collections/docs");
        Assert.Equal(64, docs!["index"]!["ef"]!.GetValue<int>());
        Assert.Equal("integer", docs["schema"]!["year"]!.GetValue<string>());

        // A key's scope and a collection's ef change in place: the same key (id and secret) and the same collection.
        var searchBefore = (await admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{tenantId}/api-keys"))!["api_keys"]!.AsArray()
            .Single(k => k!["name"]!.GetValue<string>() == "search-frontend" && k["revoked_at"] is null)!["id"]!.GetValue<string>();
        string[] changed = [.. names, "-var", "search_collections=[\"docs\",\"archive\"]", "-var", "docs_ef=128"];
        var change = await terraform.RunAsync(["plan", "-input=false", "-no-color", "-detailed-exitcode", .. changed]);
        Assert.True(change.ExitCode == 2, change.Output);
        Assert.Contains("~ update in-place", change.Output, StringComparison.Ordinal);
        Assert.Contains("piramid_api_key.search will be updated in-place", change.Output, StringComparison.Ordinal);
        Assert.Contains("piramid_collection.docs will be updated in-place", change.Output, StringComparison.Ordinal);
        Assert.Contains("Plan: 0 to add, 2 to change, 0 to destroy.", change.Output, StringComparison.Ordinal);
        var applyChange = await terraform.RunAsync(["apply", "-input=false", "-no-color", "-auto-approve", .. changed]);
        Assert.True(applyChange.ExitCode == 0, applyChange.Output);
        Assert.Contains("Resources: 0 added, 2 changed, 0 destroyed.", applyChange.Output, StringComparison.Ordinal);
        var docsAfter = await tenant.GetFromJsonAsync<JsonObject>("/v1/collections/docs");
        Assert.Equal(128, docsAfter!["index"]!["ef"]!.GetValue<int>());
        Assert.Equal(docs["created_at"]!.GetValue<DateTimeOffset>(), docsAfter["created_at"]!.GetValue<DateTimeOffset>());
        var keys = (await admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{tenantId}/api-keys"))!["api_keys"]!.AsArray();
        var search = keys.Where(k => k!["name"]!.GetValue<string>() == "search-frontend").ToList();
        Assert.Equal(searchBefore, Assert.Single(search)!["id"]!.GetValue<string>());
        Assert.Null(search[0]!["revoked_at"]);
        Assert.Equal(["archive", "docs"], search[0]!["collections"]!.AsArray().Select(c => c!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(searchKey, (await terraform.RunAsync("output", "-raw", "search_key")).Output.Trim());
        using (var sameSearch = platform.Tenant(searchKey))
        {
            // The secret still works, with the new scope: "archive" is in it now (absent, so 404 rather than 403).
            await Eventually.AnswersAsync(sameSearch, "/v1/collections/archive", HttpStatusCode.NotFound, TimeSpan.FromSeconds(5));
            Assert.Equal(HttpStatusCode.OK, (await sameSearch.GetAsync("/v1/collections/docs")).StatusCode);
        }

        var afterChange = await terraform.RunAsync(["plan", "-input=false", "-no-color", "-detailed-exitcode", .. changed]);
        Assert.True(afterChange.ExitCode == 0, "a plan after the in-place change must be empty:\n" + afterChange.Output);

        // Drift: a collection deleted out of band is planned for re-creation.
        Assert.Equal(HttpStatusCode.NoContent, (await tenant.DeleteAsync("/v1/collections/docs")).StatusCode);
        var drift = await terraform.RunAsync(["plan", "-input=false", "-no-color", "-detailed-exitcode", .. changed]);
        Assert.True(drift.ExitCode == 2, drift.Output);
        Assert.Contains("piramid_collection.docs will be created", drift.Output, StringComparison.Ordinal);

        // Import existing objects of every resource type: a tenant, a collection, a plan with its backup schedule, an
        // API key and a member; then they plan no change.
        var existing = await (await admin.PostAsJsonAsync("/v1/tenants", new { name = $"tf-imp-{suffix}" })).Content.ReadFromJsonAsync<JsonObject>();
        var importedTenant = existing!["id"]!.GetValue<string>();
        var keep = await (await admin.PostAsJsonAsync("/v1/tenants", new { name = $"tf-keep-{suffix}" })).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(HttpStatusCode.Created, (await tenant.PutAsJsonAsync("/v1/collections/imported", new { dimension = 8 })).StatusCode);
        var importedPlan = $"tf-imp-{suffix}";
        using (var putPlan = await admin.PutAsJsonAsync($"/v1/plans/{importedPlan}", new
        {
            name = "Imported",
            max_collections = 5,
            max_points = 1000,
            max_storage_bytes = 1_000_000_000,
            max_dimension = 512,
            read_rate_per_second = 10,
            read_burst = 20,
            write_rate_per_second = 5,
            write_burst = 10,
            monthly_read_units = 1000,
            monthly_write_units = 500,
            backup_interval_hours = 12,
        }))
        {
            Assert.True(putPlan.IsSuccessStatusCode, await putPlan.Content.ReadAsStringAsync());
        }

        var importedKey = await (await admin.PostAsJsonAsync($"/v1/tenants/{importedTenant}/api-keys", new { name = "imp", role = "read_only", collections = new[] { "docs" } }))
            .Content.ReadFromJsonAsync<JsonObject>();
        var demoTenant = platform.Local["demo_tenant_id"]!.GetValue<string>();
        var demoEmail = platform.Local["demo_user_email"]!.GetValue<string>();
        await File.WriteAllTextAsync(Path.Combine(terraform.WorkingDirectory, "imported.tf"), $$"""
            resource "piramid_tenant" "imported" {
              name = "tf-imp-{{suffix}}"
            }

            resource "piramid_collection" "imported" {
              provider  = piramid.acme
              tenant_id = piramid_tenant.acme.id
              name      = "imported"
              dimension = 8
            }

            resource "piramid_plan" "imported" {
              id                    = "{{importedPlan}}"
              name                  = "Imported"
              max_collections       = 5
              max_points            = 1000
              max_storage_bytes     = 1000000000
              max_dimension         = 512
              read_rate_per_second  = 10
              read_burst            = 20
              write_rate_per_second = 5
              write_burst           = 10
              monthly_read_units    = 1000
              monthly_write_units   = 500
            }

            resource "piramid_backup_schedule" "imported" {
              plan_id               = piramid_plan.imported.id
              backup_interval_hours = 12
            }

            resource "piramid_api_key" "imported" {
              tenant_id   = piramid_tenant.imported.id
              name        = "imp"
              role        = "read_only"
              collections = ["docs"]
            }

            resource "piramid_member" "imported" {
              tenant_id = "{{demoTenant}}"
              email     = "{{demoEmail}}"
              role      = "owner"
            }
            """);
        (string Address, string Id)[] imports =
        [
            ("piramid_tenant.imported", importedTenant),
            ("piramid_collection.imported", $"{tenantId}/imported"),
            ("piramid_plan.imported", importedPlan),
            ("piramid_backup_schedule.imported", importedPlan),
            ("piramid_api_key.imported", $"{importedTenant}/{importedKey!["id"]!.GetValue<string>()}"),
            ("piramid_member.imported", $"{demoTenant}/{demoEmail}"),
        ];
        foreach (var (address, id) in imports)
        {
            var imported = await terraform.RunAsync(["import", "-input=false", "-no-color", .. changed, address, id]);
            Assert.True(imported.ExitCode == 0, $"{address} {id}:\n{imported.Output}");
            Assert.Contains("Import successful!", imported.Output, StringComparison.Ordinal);
        }

        var afterImport = await terraform.RunAsync(["plan", "-input=false", "-no-color", .. changed]);
        Assert.Contains("Plan: 1 to add, 0 to change, 0 to destroy.", afterImport.Output, StringComparison.Ordinal);
        foreach (var (address, _) in imports)
        {
            Assert.DoesNotContain($"# {address} ", afterImport.Output, StringComparison.Ordinal);
        }

        // The demo tenant's owner stays: Terraform forgets the membership rather than destroying it.
        var forget = await terraform.RunAsync("state", "rm", "-no-color", "piramid_member.imported");
        Assert.True(forget.ExitCode == 0, forget.Output);

        var destroy = await terraform.RunAsync(["destroy", "-input=false", "-no-color", "-auto-approve", .. changed]);
        Assert.True(destroy.ExitCode == 0, destroy.Output);
        output.WriteLine($"terraform destroy: {destroy.Elapsed.TotalSeconds:F1} s");

        // Exactly what Terraform managed is gone: both tenants (and with them their keys), nothing else.
        foreach (var id in new[] { tenantId, importedTenant })
        {
            var gone = await admin.GetAsync($"/v1/tenants/{id}");
            Assert.True(gone.StatusCode == HttpStatusCode.NotFound || (await gone.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>() == "deleted", id);
        }

        await Eventually.AnswersAsync(tenant, "/v1/collections", HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(5));
        Assert.Equal("active", (await admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{keep!["id"]}"))!["status"]!.GetValue<string>());
        Assert.Equal("active", (await admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{platform.Local["demo_tenant_id"]}"))!["status"]!.GetValue<string>());

        // The schedule's destroy turned the plan's backups off.
        var kept = (await admin.GetFromJsonAsync<JsonObject>("/v1/plans"))!["plans"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == $"tf-{suffix}")!;
        Assert.Null(kept["backup_interval_hours"]);

        // Plans cannot be deleted through the API: the provider leaves the plan (with a warning).
        Assert.Contains("Plan kept", destroy.Output, StringComparison.Ordinal);
    }

    [TerraformFact]
    public async Task ExampleTerraformTestFiles_Pass()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var terraform = NewWorkspace();
        var init = await terraform.RunAsync("init", "-input=false", "-no-color");
        Assert.True(init.ExitCode == 0, init.Output);

        var test = await terraform.RunAsync("test", "-no-color", "-var", $"plan_id=tft-{suffix}", "-var", $"tenant_name=tft-{suffix}");

        Assert.True(test.ExitCode == 0, test.Output);
        Assert.Contains("Success! 2 passed, 0 failed.", test.Output, StringComparison.Ordinal);
    }

    [TerraformFact]
    public async Task ApiProblems_PointAtTheAttribute_AndANonEmptyCollectionNeedsForceDestroy()
    {
        var (tenantId, tenant) = await platform.NewTenantAsync("tf-problems-" + Guid.NewGuid().ToString("N")[..8]);
        using var _ = tenant;
        var directory = _work.Combine("terraform-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var key = tenant.DefaultRequestHeaders.Authorization!.Parameter!;
        var terraform = new TerraformCli(directory, new Dictionary<string, string>
        {
            ["TF_CLI_CONFIG_FILE"] = Path.Combine(platform.State, "terraform.rc"),
            ["PIRAMID_ENDPOINT"] = platform.Gateway.ToString().TrimEnd('/'),
            ["PIRAMID_API_KEY"] = key,
        });
        await WriteAsync("manhattan", forceDestroy: false);
        Assert.Equal(0, (await terraform.RunAsync("init", "-input=false", "-no-color")).ExitCode);

        async Task<TerraformCli.Result> ApplyAsync(string metric, bool forceDestroy)
        {
            await WriteAsync(metric, forceDestroy);
            return await terraform.RunAsync("apply", "-input=false", "-no-color", "-auto-approve");
        }

        Task WriteAsync(string metric, bool forceDestroy) =>
            File.WriteAllTextAsync(Path.Combine(directory, "main.tf"), $$"""
                terraform {
                  required_providers {
                    piramid = { source = "piramid/piramid" }
                  }
                }

                provider "piramid" {}

                resource "piramid_collection" "full" {
                  tenant_id     = "{{tenantId}}"
                  name          = "full"
                  dimension     = 2
                  metric        = "{{metric}}"
                  force_destroy = {{(forceDestroy ? "true" : "false")}}
                }
                """);

        // The API's 400 is a diagnostic with its detail, at the line of the attribute it names; nothing is created.
        var refused = await ApplyAsync("manhattan", forceDestroy: false);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Error: Creating the collection: Invalid request", refused.Output, StringComparison.Ordinal);
        Assert.Contains("metric        = \"manhattan\"", refused.Output, StringComparison.Ordinal);
        Assert.Contains("'metric' must be", refused.Output, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.GetAsync("/v1/collections/full")).StatusCode);

        var created = await ApplyAsync("dot", forceDestroy: false);
        Assert.True(created.ExitCode == 0, created.Output);
        var upsert = await tenant.PostAsJsonAsync("/v1/collections/full/points", new { points = new[] { new { id = "p1", vector = new[] { 1f, 0f } } } });
        Assert.True(upsert.IsSuccessStatusCode, await upsert.Content.ReadAsStringAsync());

        var kept = await terraform.RunAsync("destroy", "-input=false", "-no-color", "-auto-approve");
        Assert.Equal(1, kept.ExitCode);
        Assert.Contains("holds 1 point(s)", kept.Output, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await tenant.GetAsync("/v1/collections/full")).StatusCode);

        Assert.Equal(0, (await ApplyAsync("dot", forceDestroy: true)).ExitCode);
        var destroyed = await terraform.RunAsync("destroy", "-input=false", "-no-color", "-auto-approve");
        Assert.True(destroyed.ExitCode == 0, destroyed.Output);
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.GetAsync("/v1/collections/full")).StatusCode);
        using var admin = await platform.OperatorAsync();
        Assert.Equal("active", (await admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{tenantId}"))!["status"]!.GetValue<string>());
    }

    /// <summary>A copy of the complete example in a fresh directory, with the platform's endpoint and operator.</summary>
    private TerraformWorkspace NewWorkspace()
    {
        var mirror = Path.Combine(RepositoryPaths.Root, ".piramid", "terraform", "mirror", "registry.terraform.io", "piramid", "piramid");
        Assert.True(Directory.Exists(mirror), $"No provider in {mirror}: ./piramid test (or ./piramid terraform) publishes it.");
        var rc = Path.Combine(platform.State, "terraform.rc");
        Assert.True(File.Exists(rc), "./piramid up wrote no terraform.rc");

        var directory = _work.Combine("terraform-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(directory, "tests"));
        foreach (var file in Directory.EnumerateFiles(Example, "*.tf"))
        {
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        }

        foreach (var file in Directory.EnumerateFiles(Path.Combine(Example, "tests"), "*.tftest.hcl"))
        {
            File.Copy(file, Path.Combine(directory, "tests", Path.GetFileName(file)));
        }

        return new TerraformWorkspace(directory, new Dictionary<string, string>
        {
            ["TF_CLI_CONFIG_FILE"] = rc,
            ["PIRAMID_ENDPOINT"] = platform.Gateway.ToString().TrimEnd('/'),
            ["PIRAMID_CLIENT_ID"] = platform.Local["operator_client_id"]!.GetValue<string>(),
            ["PIRAMID_CLIENT_SECRET"] = platform.Local["operator_client_secret"]!.GetValue<string>(),
        });
    }

    private sealed class TerraformWorkspace(string directory, IReadOnlyDictionary<string, string> environment)
    {
        private readonly TerraformCli _cli = new(directory, environment);

        public string WorkingDirectory => directory;

        public Task<TerraformCli.Result> RunAsync(params string[] args) => _cli.RunAsync(args);
    }
}
