namespace Piramid.Contracts.Admin;

/// <summary>Body of the gateway's <c>POST /internal/v1/keys/introspect</c>: the key id and SHA-256 of its secret.</summary>
public sealed class KeyIntrospectionRequest
{
    /// <summary>Key id.</summary>
    public string? KeyId { get; set; }

    /// <summary>Base64 SHA-256 of the secret part (the secret itself never leaves the gateway).</summary>
    public string? SecretSha256 { get; set; }
}
