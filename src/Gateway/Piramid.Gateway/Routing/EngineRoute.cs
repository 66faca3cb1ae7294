using Piramid.Contracts.Identity;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Piramid.Gateway.Routing;

/// <summary>Where one tenant's engine listens and the secret the gateway signs its requests with.</summary>
/// <param name="TenantId">Tenant.</param>
/// <param name="Endpoint">Engine base URL.</param>
/// <param name="Secret">HMAC secret of the signed identity header.</param>
public sealed record EngineRoute(string TenantId, Uri Endpoint, byte[] Secret)
{
    /// <summary>The proxy's destination for this engine, made once per route rather than once per request.</summary>
    public IReadOnlyList<DestinationState> Destinations { get; } =
        [new DestinationState(TenantId, new DestinationModel(new DestinationConfig { Address = Endpoint.ToString() }))];

    /// <summary>The secret held ready to sign with, made once per route rather than keyed anew per request.</summary>
    public InternalIdentityKey SigningKey { get; } = new(Secret);
}
