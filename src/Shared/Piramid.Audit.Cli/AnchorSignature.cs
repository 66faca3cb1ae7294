using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Piramid.Audit.Cli;

/// <summary>Checks an anchor's compact JWS (RS256) against a JWKS and the anchor's own fields.</summary>
public sealed class AnchorSignature
{
    /// <summary>The JWS <c>typ</c> anchors carry.</summary>
    public const string Type = "piramid-audit-anchor+jws";

    private readonly Dictionary<string, RSAParameters> _keys = new(StringComparer.Ordinal);

    /// <summary>Reads the RSA keys of a JWKS document (<c>{"keys":[{"kty":"RSA","kid","n","e"}]}</c>).</summary>
    public AnchorSignature(string jwks)
    {
        using var document = JsonDocument.Parse(jwks);
        foreach (var key in document.RootElement.GetProperty("keys").EnumerateArray())
        {
            if (key.TryGetProperty("kty", out var kty) && kty.GetString() == "RSA" && key.TryGetProperty("kid", out var kid)
                && key.TryGetProperty("n", out var n) && key.TryGetProperty("e", out var e))
            {
                _keys[kid.GetString()!] = new RSAParameters { Modulus = FromBase64Url(n.GetString()!), Exponent = FromBase64Url(e.GetString()!) };
            }
        }

        if (_keys.Count == 0)
        {
            throw new FormatException("The JWKS holds no RSA key.");
        }
    }

    /// <summary>Null when the signature is the platform's and signs exactly this anchor; else what is wrong.</summary>
    public string? Check(ExportAnchor anchor)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        var parts = anchor.Signature.Split('.');
        if (parts.Length != 3)
        {
            return "its signature is not a compact JWS";
        }

        try
        {
            using var header = JsonDocument.Parse(FromBase64Url(parts[0]));
            var h = header.RootElement;
            if (h.GetProperty("alg").GetString() != "RS256" || h.GetProperty("typ").GetString() != Type)
            {
                return "its signature is not an RS256 audit anchor";
            }

            var kid = h.GetProperty("kid").GetString()!;
            if (!_keys.TryGetValue(kid, out var parameters))
            {
                return $"it is signed by key '{kid}', which the JWKS does not hold";
            }

            using var rsa = RSA.Create(parameters);
            if (!rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                return "its signature does not verify";
            }

            using var payload = JsonDocument.Parse(FromBase64Url(parts[1]));
            var p = payload.RootElement;
            return p.GetProperty("tenant_id").GetString() == anchor.TenantId && p.GetProperty("engine_seq").GetInt64() == anchor.EngineSeq
                && p.GetProperty("engine_hash").GetString() == anchor.EngineHash && p.GetProperty("signed_at").GetDateTimeOffset() == anchor.SignedAt
                && Optional(p, "control_seq")?.GetInt64() == anchor.ControlSeq && Optional(p, "control_hash")?.GetString() == anchor.ControlHash
                ? null
                : "its fields differ from what was signed";
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException or CryptographicException)
        {
            return $"its signature is malformed ({e.Message})";
        }
    }

    // Anchors signed before the control-plane chain carry no control head.
    private static JsonElement? Optional(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
