namespace Piramid.Contracts.Routes;

/// <summary>The process that serves a public route behind the gateway.</summary>
public enum RouteService
{
    /// <summary>The tenant's engine (the data API).</summary>
    Engine,

    /// <summary>The control plane (the admin API, a tenant's own keys, the token endpoint).</summary>
    ControlPlane,
}
