using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Piramid.Contracts.Admin;
using Piramid.Gateway.Authentication;

namespace Piramid.Gateway.ControlPlane;

/// <summary>
/// The control plane's internal API, called with the gateway's own client-credentials token (cached until
/// shortly before it expires). Secrets of API keys never leave the gateway: only their SHA-256 does.
/// </summary>
public sealed class ControlPlaneClient(HttpClient http, IOptions<GatewayOptions> options, TimeProvider time) : IKeyIntrospector, IDisposable
{
    private static readonly JsonSerializerOptions Json = Piramid.Contracts.Json.WireJson.Options;
    private readonly SemaphoreSlim _tokenLock = new(1, 1);
    private string? _token;
    private DateTimeOffset _tokenExpires;

    /// <summary>The key's identity and limits, or null when no valid key matches.</summary>
    /// <remarks>
    /// Bounded by <see cref="GatewayOptions.IntrospectionTimeout"/> (the client's own timeout is long, for the change
    /// feed's long polls): a control plane that hangs is treated like one that is down, and requests do not pile up.
    /// </remarks>
    public async Task<KeyIntrospectionResponse?> IntrospectAsync(string keyId, byte[] secretHash, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.IntrospectionTimeout);
        using var request = await AuthorizedAsync(HttpMethod.Post, "internal/v1/keys/introspect", timeout.Token);
        request.Content = JsonContent.Create(new KeyIntrospectionRequest { KeyId = keyId, SecretSha256 = Convert.ToBase64String(secretHash) }, options: Json);
        using var response = await http.SendAsync(request, timeout.Token);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<KeyIntrospectionResponse>(Json, timeout.Token);
    }

    /// <summary>
    /// A person's membership of a tenant in the shape of a key's introspection (their role as a data-plane role), or
    /// null when they are not a member; bounded like <see cref="IntrospectAsync"/>.
    /// </summary>
    public async Task<KeyIntrospectionResponse?> IntrospectMemberAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.IntrospectionTimeout);
        using var request = await AuthorizedAsync(HttpMethod.Post, "internal/v1/members/introspect", timeout.Token);
        request.Content = JsonContent.Create(new MemberIntrospectionRequest { TenantId = tenantId, UserId = userId }, options: Json);
        using var response = await http.SendAsync(request, timeout.Token);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<KeyIntrospectionResponse>(Json, timeout.Token);
    }

    /// <summary>The routing table.</summary>
    public async Task<RouteTable> GetRoutesAsync(CancellationToken cancellationToken)
    {
        using var request = await AuthorizedAsync(HttpMethod.Get, "internal/v1/routes", cancellationToken);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<RouteTable>(Json, cancellationToken))!;
    }

    /// <summary>Changes after <paramref name="after"/>, waiting up to <paramref name="wait"/> for the first.</summary>
    public async Task<ChangeList> GetChangesAsync(long after, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var request = await AuthorizedAsync(HttpMethod.Get, $"internal/v1/changes?after={after}&wait={(int)wait.TotalSeconds}", cancellationToken);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ChangeList>(Json, cancellationToken))!;
    }

    /// <summary>Sends a usage report; returns the month's totals of the reported tenants.</summary>
    public async Task<UsageReportResponse> ReportUsageAsync(UsageReport report, CancellationToken cancellationToken)
    {
        using var request = await AuthorizedAsync(HttpMethod.Post, "internal/v1/usage", cancellationToken);
        request.Content = JsonContent.Create(report, options: Json);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        try
        {
            return await response.Content.ReadFromJsonAsync<UsageReportResponse>(Json, cancellationToken)
                ?? throw new JsonException("The answer is null.");
        }
        catch (JsonException e)
        {
            // An answer that cannot be read is no answer: the report is kept and sent again with its id, which the
            // control plane applies once, rather than ending the reporter's loop.
            throw new HttpRequestException($"The control plane's answer to a usage report is not readable: {e.Message}", e);
        }
    }

    /// <summary>Sends the counts of refused credentials of one interval.</summary>
    public Task ReportAuthFailuresAsync(AuthFailureReport report, CancellationToken cancellationToken) =>
        PostReportAsync("internal/v1/auth-failures", report, cancellationToken);

    /// <summary>Sends the last use of each key seen since the previous report.</summary>
    public Task ReportKeyUsesAsync(KeyUseReport report, CancellationToken cancellationToken) =>
        PostReportAsync("internal/v1/key-uses", report, cancellationToken);

    /// <summary>Sends the tenants whose engines had a data request since the previous report.</summary>
    public Task ReportEngineActivityAsync(EngineActivityReport report, CancellationToken cancellationToken) =>
        PostReportAsync("internal/v1/engine-activity", report, cancellationToken);

    /// <summary>Sends the per-tenant request counts of <see cref="Usage.RequestStatsLog"/>.</summary>
    public Task ReportRequestStatsAsync(Contracts.Metrics.RequestStatsReport report, CancellationToken cancellationToken) =>
        PostReportAsync("internal/v1/request-stats", report, cancellationToken);

    /// <summary>
    /// Asks the control plane to wake the tenant's hibernating engine and waits until it is ready; the running route,
    /// or null when it is not to be woken (suspended, no engine) or did not become ready.
    /// </summary>
    public async Task<RouteInfo?> WakeEngineAsync(string tenantId, CancellationToken cancellationToken)
    {
        using var request = await AuthorizedAsync(HttpMethod.Post, $"internal/v1/engines/{Uri.EscapeDataString(tenantId)}/wake", cancellationToken);
        using var response = await http.SendAsync(request, cancellationToken);
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<RouteInfo>(Json, cancellationToken) : null;
    }

    // The gateway's periodic reports: posted as JSON, any answer but 2xx an error (the reporter keeps and resends).
    private async Task PostReportAsync<T>(string path, T report, CancellationToken cancellationToken)
    {
        using var request = await AuthorizedAsync(HttpMethod.Post, path, cancellationToken);
        request.Content = JsonContent.Create(report, options: Json);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Releases the token lock.</summary>
    public void Dispose() => _tokenLock.Dispose();

    private async Task<HttpRequestMessage> AuthorizedAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, new Uri(options.Value.ControlPlaneUrl!, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(cancellationToken));
        return request;
    }

    /// <summary>The gateway's own access token for the control plane (cached until shortly before it expires).</summary>
    public Task<string> AccessTokenAsync(CancellationToken cancellationToken) => TokenAsync(cancellationToken);

    private async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        if (_token is not null && time.GetUtcNow() < _tokenExpires)
        {
            return _token;
        }

        await _tokenLock.WaitAsync(cancellationToken);
        try
        {
            if (_token is not null && time.GetUtcNow() < _tokenExpires)
            {
                return _token;
            }

            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = options.Value.ClientId,
                ["client_secret"] = options.Value.ClientSecret,
            });
            using var response = await http.PostAsync(new Uri(options.Value.ControlPlaneUrl!, "connect/token"), form, cancellationToken);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
            _token = body?["access_token"]?.GetValue<string>() ?? throw new InvalidOperationException("The token endpoint returned no access_token.");
            var lifetime = body["expires_in"]?.GetValue<int>() ?? 300;
            // Renew a minute early so a request never carries a token that expires in flight.
            _tokenExpires = time.GetUtcNow() + TimeSpan.FromSeconds(Math.Max(lifetime - 60, lifetime / 2));
            return _token;
        }
        finally
        {
            _tokenLock.Release();
        }
    }
}
