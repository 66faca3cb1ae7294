using System.Net.Http.Json;
using System.Security.Cryptography;
using Piramid.Contracts;
using Piramid.Contracts.Collections;
using Piramid.Contracts.Identity;
using Piramid.Contracts.Json;
using Piramid.ControlPlane.Orchestration;

namespace Piramid.ControlPlane.Billing;

/// <summary>
/// Asks a tenant's engine for its bytes on disk: the sum of its collections' <c>bytes_on_disk</c> (every file of a
/// collection: vectors, metadata, index, log), through the engine's own collection list, signed as the control plane.
/// </summary>
public sealed class EngineStorageClient(TimeProvider time) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5), PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>The engine's bytes on disk.</summary>
    public async Task<long> BytesOnDiskAsync(EngineRoute route, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(route);
        var uri = new Uri(route.Endpoint, "/v1/collections");
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        var identity = new InternalIdentity("control-plane", route.TenantId, Roles.PlatformAdmin, "GET", uri.AbsolutePath,
            time.GetUtcNow().ToUnixTimeMilliseconds(), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), []);
        request.Headers.Add(HeaderNames.Identity, InternalIdentitySigner.Sign(identity, route.EngineSecret));
        using var response = await _http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        var list = await response.Content.ReadFromJsonAsync<CollectionList>(WireJson.Options, ct)
            ?? throw new HttpRequestException("The engine answered an empty collection list.");
        return list.Collections.Sum(c => c.BytesOnDisk);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
