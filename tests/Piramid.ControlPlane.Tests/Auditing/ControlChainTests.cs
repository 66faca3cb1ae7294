using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Piramid.Audit.Cli;
using Piramid.ControlPlane.Auditing;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Tests.Support;

namespace Piramid.ControlPlane.Tests.Auditing;

/// <summary>
/// The control plane's audit events are hash-chained per tenant in PostgreSQL: concurrent writers of one tenant never
/// fork the chain, the export verifies (JSON state round-tripped through <c>jsonb</c> included), and a row edited,
/// deleted, reordered or stripped of its hash in the database is reported by <c>piramid-audit verify</c> at that event.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ControlChainTests(PostgresFixture postgres)
{
    private const int Writers = 8;
    private const int EventsPerWriter = 6;

    [Fact]
    public async Task ConcurrentWriters_OfOneTenant_ExtendOneChain_ThatVerifies()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        var tenant = await CreateTenantAsync(host, "t_chain_concurrent");
        await WriteConcurrentlyAsync(host, tenant);

        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            var rows = await scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>().AuditEvents.AsNoTracking()
                .Where(e => e.TenantId == tenant).OrderBy(e => e.Id).ToListAsync();
            var total = 1 + (Writers * EventsPerWriter * 3 / 2); // tenant.create, then one or two events per save
            Assert.Equal(Enumerable.Range(1, total).Select(i => (long?)i), rows.Select(r => r.ChainSeq)); // no fork, no gap, in id order
            Assert.Equal(ControlEntryHash.Zero, rows[0].PrevHash);
            Assert.All(rows.Skip(1).Zip(rows), pair => Assert.Equal(pair.Second.Hash, pair.First.PrevHash));
        }

        var result = await VerifyAsync(host, tenant);
        Assert.True(result.IsValid, result.Problem);
        Assert.Contains($"control-plane events (seq 1..{1 + (Writers * EventsPerWriter * 3 / 2)}) chained", result.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("edit", 5)]
    [InlineData("delete", 7)]
    [InlineData("reorder", 3)]
    [InlineData("strip", 6)]
    public async Task ARowTamperedInTheDatabase_IsReportedAtThatEvent(string tampering, long expected)
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        var tenant = await CreateTenantAsync(host, $"t_chain_{tampering}");
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
            var trail = scope.ServiceProvider.GetRequiredService<AuditTrail>();
            for (var i = 0; i < 10; i++)
            {
                trail.Record("api_key.create", "api_key", $"k{i}", tenant, null, new KeyState($"k{i}", $"key +{i} ü", i + 0.5m, ["read"]));
                await db.SaveChangesAsync();
            }
        }

        Assert.True((await VerifyAsync(host, tenant)).IsValid);
        var sql = tampering switch
        {
            "edit" => """UPDATE audit_events SET after = jsonb_set(after, '{role}', '["admin"]') WHERE tenant_id = @t AND chain_seq = 5""",
            "delete" => "DELETE FROM audit_events WHERE tenant_id = @t AND chain_seq = 7",
            "strip" => "UPDATE audit_events SET chain_seq = NULL, prev_hash = NULL, hash = NULL WHERE tenant_id = @t AND chain_seq = 6",
            // Rows 3 and 4 swap their contents (their ids stay): the export, in id order, holds event 4 before event 3.
            _ => """
                UPDATE audit_events SET chain_seq = -chain_seq WHERE tenant_id = @t AND chain_seq IN (3, 4);
                UPDATE audit_events a SET "time" = b."time", actor = b.actor, action = b.action, target_type = b.target_type, target_id = b.target_id,
                    before = b.before, after = b.after, request_id = b.request_id, chain_seq = -b.chain_seq, prev_hash = b.prev_hash, hash = b.hash
                FROM audit_events b
                WHERE a.tenant_id = @t AND b.tenant_id = @t AND ((a.chain_seq = -3 AND b.chain_seq = -4) OR (a.chain_seq = -4 AND b.chain_seq = -3));
                """,
        };
        await using (var connection = new NpgsqlConnection(host.Settings["ConnectionStrings:ControlPlane"]))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("t", tenant);
            Assert.True(await command.ExecuteNonQueryAsync() > 0);
        }

        var result = await VerifyAsync(host, tenant);
        Assert.False(result.IsValid);
        Assert.Equal("control", result.Source);
        Assert.True(expected == result.FirstBadSeq, $"expected control event {expected}, got {result.FirstBadSeq}: {result.Problem}");
    }

    // Writers in parallel, each on its own connection; every other save holds two events, so one save links several.
    private static async Task WriteConcurrentlyAsync(ControlPlaneHost host, string tenant)
    {
        using var start = new SemaphoreSlim(0);
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            await start.WaitAsync();
            await using var scope = host.App.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
            var trail = scope.ServiceProvider.GetRequiredService<AuditTrail>();
            for (var i = 0; i < EventsPerWriter; i++)
            {
                trail.Record("api_key.create", "api_key", $"w{w}-{i}", tenant, null, new KeyState($"w{w}-{i}", "k", i, ["read"]));
                if (i % 2 == 1)
                {
                    trail.Record("api_key.revoke", "api_key", $"w{w}-{i}", tenant, new KeyState($"w{w}-{i}", "k", i, ["read"]), null);
                }

                await db.SaveChangesAsync();
            }
        })).ToList();
        start.Release(Writers);
        await Task.WhenAll(writers);
    }

    private static async Task<string> CreateTenantAsync(ControlPlaneHost host, string id)
    {
        await using var scope = host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        var now = DateTimeOffset.UtcNow;
        db.Tenants.Add(new Tenant { Id = id, Name = id, PlanId = "free", Status = TenantStatus.Active, CreatedAt = now, UpdatedAt = now });
        scope.ServiceProvider.GetRequiredService<AuditTrail>().Record("tenant.create", "tenant", id, id, null, new { id, name = id });
        await db.SaveChangesAsync();
        return id;
    }

    // The export of the tenant's control events over HTTP, as a compliance team gets it, checked by the verifier.
    private static async Task<ExportVerification> VerifyAsync(ControlPlaneHost host, string tenant)
    {
        using var client = await host.ClientAsync(host.Operator);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/tenants/{tenant}/audit?source=control");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-ndjson"));
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StringReader(await response.Content.ReadAsStringAsync());
        var content = ExportReader.Read(reader);
        Assert.NotEmpty(content.Control!);
        return ExportVerifier.Verify(content, new AnchorSignature(await client.GetStringAsync(new Uri("/.well-known/jwks", UriKind.Relative))));
    }

    private sealed record KeyState(string Id, string Name, decimal Weight, string[] Role);
}
