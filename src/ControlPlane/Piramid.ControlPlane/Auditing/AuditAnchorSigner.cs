using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Piramid.Contracts.Auditing;
using Piramid.Contracts.Json;
using Piramid.ControlPlane.Identity;

namespace Piramid.ControlPlane.Auditing;

/// <summary>
/// Signs audit anchors as compact JWS (RS256) with the platform's token-signing key, the one the JWKS at
/// <c>/.well-known/jwks</c> publishes: anyone holding the JWKS verifies an anchor offline, and nobody without the
/// control plane's key file can forge one.
/// </summary>
public sealed class AuditAnchorSigner(IdentityKeyStore keys)
{
    /// <summary>The JWS <c>typ</c> header, so an anchor is never mistaken for an access token (and vice versa).</summary>
    public const string Type = "piramid-audit-anchor+jws";

    /// <summary>
    /// Signs the head <paramref name="seq"/>/<paramref name="hash"/> of a tenant's engine and <paramref name="control"/>, the
    /// head of its control-plane chain, read at <paramref name="signedAt"/>.
    /// </summary>
    public AuditAnchor Sign(string tenantId, long seq, string hash, DateTimeOffset signedAt, (long Seq, string Hash)? control = null)
    {
        var key = keys.Keys.SigningKey;
        var rsa = key.Rsa ?? throw new InvalidOperationException("The signing key holds no RSA key.");
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "RS256", ["kid"] = key.KeyId, ["typ"] = Type });
        var payload = JsonSerializer.SerializeToUtf8Bytes(new AnchorPayload(tenantId, seq, hash, signedAt, control?.Seq, control?.Hash), WireJson.Options);
        var signingInput = Base64UrlEncoder.Encode(header) + "." + Base64UrlEncoder.Encode(payload);
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return new AuditAnchor(tenantId, seq, hash, signedAt, signingInput + "." + Base64UrlEncoder.Encode(signature), control?.Seq, control?.Hash);
    }

    private sealed record AnchorPayload(string TenantId, long EngineSeq, string EngineHash, DateTimeOffset SignedAt, long? ControlSeq, string? ControlHash);
}
