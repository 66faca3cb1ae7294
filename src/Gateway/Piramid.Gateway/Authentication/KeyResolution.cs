using Piramid.Contracts.Admin;

namespace Piramid.Gateway.Authentication;

/// <summary>What the <see cref="KeyCache"/> knows about a presented key.</summary>
/// <param name="Identity">The key's identity when it is valid, else null.</param>
/// <param name="Unavailable">
/// True when the control plane could not be asked and no last known good answer is within
/// <see cref="GatewayOptions.ControlPlaneOutageGrace"/>: the caller gets a 503, not a 401 (the key may be fine).
/// </param>
public readonly record struct KeyResolution(KeyIntrospectionResponse? Identity, bool Unavailable)
{
    /// <summary>A valid key.</summary>
    public static KeyResolution Valid(KeyIntrospectionResponse identity) => new(identity, false);

    /// <summary>No valid key matches.</summary>
    public static KeyResolution Invalid => default;

    /// <summary>The control plane is away and nothing recent is known about the key.</summary>
    public static KeyResolution ControlPlaneAway => new(null, true);
}
