using Piramid.Contracts.Identity;

namespace Piramid.Gateway.Authentication;

/// <summary>Reads an API key from <c>Authorization: Bearer</c> or <c>Api-Key</c> and splits it (format: <see cref="ApiKeyFormat"/>).</summary>
public static class ApiKeyParser
{
    /// <summary>The presented key, if the request carries one shaped like an API key.</summary>
    public static string? Find(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers[Contracts.HeaderNames.ApiKey].ToString();
        if (header.Length > 0)
        {
            return header.Trim();
        }

        // The scheme name is case-insensitive (RFC 9110 section 11.1): "bearer pk_..." is the same credential.
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = authorization[7..].Trim();
        return token.StartsWith(ApiKeyFormat.Prefix, StringComparison.Ordinal) ? token : null;
    }

    /// <summary>The key id and the SHA-256 of its secret (all the control plane ever sees); false when malformed.</summary>
    public static bool TryParse(string presented, out string id, out byte[] secretHash)
    {
        secretHash = [];
        if (!ApiKeyFormat.TryParse(presented, out id, out var secret))
        {
            return false;
        }

        secretHash = ApiKeyFormat.HashSecret(secret);
        return true;
    }
}
