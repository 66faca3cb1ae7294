using System.Net.Http.Json;
using System.Security.Cryptography;
using Piramid.ControlPlane.Orchestration;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Observability;
using Piramid.TestKit.Platform;

namespace Piramid.Gateway.Tests.Observability;

/// <summary>
/// W3C trace context across the platform: a search that arrives with a <c>traceparent</c> is one trace in an OTLP
/// receiver, with the gateway's spans, the control plane's (the key's introspection) and the engine process's.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class TracingTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Search_IsOneTrace_AcrossGatewayControlPlaneAndEngine_AndLogsHoldNoSecret()
    {
        await using var receiver = await OtlpTraceReceiver.StartAsync();
        var otlp = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        };
        await using var platform = await PlatformHost.StartAsync(postgres, gatewaySettings: otlp, controlPlaneSettings: otlp);
        var (tenant, key) = await platform.TenantWithKeyAsync("traced");
        using (var admin = platform.Client(key))
        {
            (await admin.PutAsJsonAsync("/v1/collections/docs", new { dimension = 2 })).EnsureSuccessStatusCode();
            (await admin.PostAsJsonAsync("/v1/collections/docs/points", new { points = new[] { new { id = "a", vector = new[] { 1f, 2f } } } })).EnsureSuccessStatusCode();
        }

        // A new key: the gateway has not seen it, so this very request introspects it at the control plane.
        var searchKey = await platform.KeyAsync(tenant, "read_only");
        var traceId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        // The test process runs exporters too: its client must send the trace context as given, not inject its own.
        using (var client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = platform.GatewayAddress })
        using (var search = new HttpRequestMessage(HttpMethod.Post, "/v1/collections/docs/search") { Content = JsonContent.Create(new { vector = new[] { 1f, 2f } }) })
        {
            search.Headers.Authorization = new("Bearer", searchKey);
            search.Headers.Add("traceparent", $"00-{traceId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}-01");
            (await client.SendAsync(search)).EnsureSuccessStatusCode();
        }

        // Exporters send in batches (every 5 s by default): wait for the engine's span, which comes last.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        IReadOnlyList<ReceivedSpan> trace;
        do
        {
            await Task.Delay(200);
            trace = [.. receiver.Spans.Where(s => s.TraceId == traceId)];
        }
        while (!trace.Any(s => s.Service == "piramid-engine") && DateTime.UtcNow < deadline);

        var described = string.Join("\n", trace.Select(s => $"{s.Service} {s.Name} kind={s.Kind} span={s.SpanId} parent={s.ParentSpanId}"))
            + $"\n({receiver.Spans.Count} spans received in all, from {string.Join(", ", receiver.Spans.Select(s => s.Service).Distinct())}; "
            + $"searches: {string.Join("; ", receiver.Spans.Where(s => s.Name.Contains("search", StringComparison.Ordinal)).Select(s => $"{s.Service} {s.Name} {s.TraceId} parent={s.ParentSpanId}"))}; sent {traceId})";
        const int Server = 2;
        var engine = trace.Where(s => s.Service == "piramid-engine" && s.Kind == Server).ToList();
        Assert.True(engine.Count == 1, $"one server span of the engine in the trace:\n{described}");
        // Its parent is the gateway's forwarding call, exported by the gateway process.
        Assert.Contains(trace, s => s.Service == "piramid-gateway" && s.SpanId == engine[0].ParentSpanId);
        Assert.Contains(trace, s => s.Service == "piramid-gateway" && s.Kind == Server && s.Name.Contains("/v1/collections", StringComparison.Ordinal));
        // Gateway -> control plane: the introspection of the new key is a server span of the same trace whose parent is a client span in it.
        var introspection = trace.Where(s => s.Kind == Server && s.Name.Contains("/internal/v1/keys/introspect", StringComparison.Ordinal)).ToList();
        Assert.True(introspection.Count > 0, $"the key's introspection in the trace:\n{described}");
        Assert.Contains(trace, s => s.SpanId == introspection[0].ParentSpanId && s.Kind == 3);

        // No secret in any log of the run: the keys, and the machine clients' secrets (the platform's passwords).
        var engineLog = await File.ReadAllTextAsync(platform.ControlPlane.App.Services.GetRequiredService<LocalProcessOrchestrator>().LogFileOf(tenant));
        var logs = string.Join("\n", PlatformHost.Logs.Text, platform.ControlPlane.Logs.Text, engineLog);
        foreach (var secret in new[] { key, searchKey, platform.ControlPlane.Operator.ClientSecret, platform.ControlPlane.Gateway.ClientSecret })
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }

        // The engine writes JSON lines.
        var lines = engineLog.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, l => System.Text.Json.JsonDocument.Parse(l).Dispose());
    }
}
