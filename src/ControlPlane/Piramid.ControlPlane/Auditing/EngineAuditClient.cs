using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Piramid.Contracts;
using Piramid.Contracts.Auditing;
using Piramid.Contracts.Identity;
using Piramid.Contracts.Json;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Orchestration;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Auditing;

/// <summary>
/// Reads an engine's audit log through its internal API (<c>GET /internal/v1/audit</c>), signed as principal
/// <c>control-plane</c>, role <c>platform_admin</c> (internal-auth.md). An engine that does not run, or does not
/// answer, is a 503 <c>engine-unavailable</c>.
/// </summary>
public sealed class EngineAuditClient(IEngineOrchestrator orchestrator, TimeProvider time) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5), PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>True when the tenant's engine is running (its log can be read without waking it).</summary>
    public bool IsRunning(string tenantId) => orchestrator.GetRoute(tenantId) is not null;

    /// <summary>Up to <paramref name="limit"/> entries after sequence <paramref name="after"/>, and the head.</summary>
    public async Task<EngineAuditPage> ReadAsync(string tenantId, long after, int limit, CancellationToken ct)
    {
        // A hibernating engine is woken for the read (docs/design/hibernation.md) and kept awake while it lasts.
        using var awake = orchestrator.KeepAwake(tenantId, EngineHolds.Current);
        var route = await orchestrator.RouteOrWakeAsync(tenantId, ct)
            ?? throw new ProblemException(ProblemCatalog.EngineUnavailable,
                $"The engine of tenant '{tenantId}' is not running, so its audit log cannot be read; resume the tenant, or ask for source=control.");
        var uri = new Uri(route.Endpoint, string.Create(CultureInfo.InvariantCulture, $"{InternalAuditRoutes.Entries}?after={after}&limit={limit}"));
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        var identity = new InternalIdentity(Backups.EngineBackupClient.Principal, tenantId, Roles.PlatformAdmin, "GET", uri.AbsolutePath,
            time.GetUtcNow().ToUnixTimeMilliseconds(), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), []);
        request.Headers.Add(HeaderNames.Identity, InternalIdentitySigner.Sign(identity, route.EngineSecret));
        try
        {
            using var response = await _http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new ProblemException(ProblemCatalog.EngineUnavailable,
                    $"The engine of tenant '{tenantId}' answered {(int)response.StatusCode} to the audit read.");
            }

            return await response.Content.ReadFromJsonAsync<EngineAuditPage>(WireJson.Options, ct)
                ?? throw new ProblemException(ProblemCatalog.EngineUnavailable, $"The engine of tenant '{tenantId}' answered an empty audit page.");
        }
        catch (HttpRequestException e)
        {
            throw new ProblemException(ProblemCatalog.EngineUnavailable, $"The engine of tenant '{tenantId}' did not answer ({e.HttpRequestError}).");
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new ProblemException(ProblemCatalog.EngineUnavailable, $"The engine of tenant '{tenantId}' did not answer in time ({e.Message}).");
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
