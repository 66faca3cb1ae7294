using Piramid.Contracts.Admin;

namespace Piramid.Gateway.Authentication;

/// <summary>Whoever answers "which key is this?": the control plane in production, a hand-written fake in unit tests.</summary>
public interface IKeyIntrospector
{
    /// <summary>The key's identity and limits, or null when no valid key matches; throws when there is no answer.</summary>
    Task<KeyIntrospectionResponse?> IntrospectAsync(string keyId, byte[] secretHash, CancellationToken cancellationToken);
}
