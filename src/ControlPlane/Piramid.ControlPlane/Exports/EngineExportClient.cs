using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Piramid.Contracts;
using Piramid.Contracts.Collections;
using Piramid.Contracts.Exports;
using Piramid.Contracts.Identity;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Orchestration;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Exports;

/// <summary>
/// The control plane's calls to a tenant's engine for exports and imports, signed with the engine's secret as the
/// platform (principal <c>control-plane</c>, docs/design/internal-auth.md). An engine's problem is passed on as a
/// <see cref="ProblemException"/> of the same catalogue entry, so a tenant's mistake stays a 4xx with the engine's detail.
/// </summary>
public sealed class EngineExportClient(IEngineOrchestrator orchestrator, IHttpClientFactory clients, TimeProvider time)
{
    /// <summary>Name of the HttpClient (no timeout: an export or import lasts as long as the collection is large).</summary>
    public const string HttpClientName = "piramid-engine-exports";

    private static readonly JsonSerializerOptions Json = Piramid.Contracts.Json.WireJson.Options;

    /// <summary>The collection's settings, or null when it does not exist.</summary>
    public async Task<CollectionInfo?> DescribeAsync(string tenantId, string collection, CancellationToken ct)
    {
        using var response = await SendAsync(tenantId, HttpMethod.Get, $"/v1/collections/{collection}", null, HttpCompletionOption.ResponseContentRead, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await ThrowIfProblemAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<CollectionInfo>(Json, ct);
    }

    /// <summary>Creates the collection with <paramref name="settings"/>; a different existing one is a 409.</summary>
    public async Task CreateAsync(string tenantId, string collection, ExportCollection settings, CancellationToken ct)
    {
        // A create request's schema is a JsonElement that must be left out, not written undefined, when there is none.
        var request = new Dictionary<string, object?>
        {
            ["dimension"] = settings.Dimension,
            ["metric"] = settings.Metric,
            ["index"] = settings.Index,
            ["quantization"] = settings.Quantization,
        };
        if (settings.Schema is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) } schema)
        {
            request["schema"] = schema;
        }

        using var content = JsonContent.Create(request, options: Json);
        using var response = await SendAsync(tenantId, HttpMethod.Put, $"/v1/collections/{collection}", content, HttpCompletionOption.ResponseContentRead, ct);
        await ThrowIfProblemAsync(response, ct);
    }

    /// <summary>Starts the export stream; the caller reads (and disposes) the response. Headers carry count and LSN.</summary>
    public async Task<HttpResponseMessage> ExportAsync(string tenantId, string collection, string encoding, CancellationToken ct)
    {
        var response = await SendAsync(tenantId, HttpMethod.Get, $"/internal/v1/collections/{collection}/export", null, HttpCompletionOption.ResponseHeadersRead, ct,
            $"?vector_encoding={encoding}");
        try
        {
            await ThrowIfProblemAsync(response, ct);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Streams <paramref name="body"/> (NDJSON, plain or gzip) into the collection under <paramref name="importId"/>.</summary>
    public async Task<ImportResult> ImportAsync(string tenantId, string collection, string importId, Stream body, CancellationToken ct)
    {
        using var content = new StreamContent(body, 64 * 1024);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        using var response = await SendAsync(tenantId, HttpMethod.Post, $"/internal/v1/collections/{collection}/import", content, HttpCompletionOption.ResponseContentRead, ct,
            $"?import_id={importId}");
        await ThrowIfProblemAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<ImportResult>(Json, ct)
            ?? throw new InvalidOperationException("The engine answered an import without a body.");
    }

    private async Task<HttpResponseMessage> SendAsync(
        string tenantId, HttpMethod method, string path, HttpContent? content, HttpCompletionOption completion, CancellationToken ct, string query = "")
    {
        using var awake = orchestrator.KeepAwake(tenantId, EngineHolds.Current);
        var route = await orchestrator.RouteOrWakeAsync(tenantId, ct) // A hibernating engine is woken (hibernation.md).
            ?? throw new ProblemException(ProblemCatalog.ServiceUnavailable, $"The engine of tenant '{tenantId}' is not running; resume the tenant and retry.");
        var identity = new InternalIdentity(
            "control-plane", tenantId, Roles.PlatformAdmin, method.Method, path,
            time.GetUtcNow().ToUnixTimeMilliseconds(), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), []);
        using var request = new HttpRequestMessage(method, new Uri(route.Endpoint, path + query)) { Content = content };
        request.Headers.Add(HeaderNames.Identity, InternalIdentitySigner.Sign(identity, route.EngineSecret));
        return await clients.CreateClient(HttpClientName).SendAsync(request, completion, ct);
    }

    // The engine's refusal, passed on with its catalogue entry and detail (and its extensions: the line of a bad import).
    private static async Task ThrowIfProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var text = await response.Content.ReadAsStringAsync(ct);
        var kind = ProblemCatalog.ForStatus((int)response.StatusCode);
        var detail = $"The engine answered {(int)response.StatusCode}.";
        var extensions = new Dictionary<string, object?>();
        try
        {
            using var problem = JsonDocument.Parse(text);
            foreach (var property in problem.RootElement.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "type":
                        kind = ProblemCatalog.FindByType(property.Value.GetString()) ?? kind;
                        break;
                    case "detail":
                        detail = property.Value.GetString() ?? detail;
                        break;
                    case "line" or "applied_points" or "applied_batches":
                        extensions[property.Name] = property.Value.GetInt64();
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Not a problem body (a proxy's page): the status alone.
        }

        throw new ProblemException(kind, detail, extensions);
    }
}
