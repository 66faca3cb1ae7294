using System.Security.Cryptography;
using System.Text;

namespace Piramid.Gateway.Authentication;

/// <summary>Reads <c>pk_&lt;16 hex id&gt;_&lt;secret&gt;</c> from <c>Authorization: Bearer</c> or <c>Api-Key</c>.</summary>
public static class ApiKeyParser
{
    private const string Prefix = "pk_";
    private const int IdLength = 16;
    private const int SecretLength = 43;

    /// <summary>The presented key, if the request carries one shaped like an API key.</summary>
    public static string? Find(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers[Contracts.HeaderNames.ApiKey].ToString();
        if (header.Length > 0)
        {
            return header.Trim();
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer pk_", StringComparison.Ordinal) ? authorization[7..].Trim() : null;
    }

    /// <summary>Splits a key into its id and the SHA-256 of its secret; false when it is not shaped like a key.</summary>
    public static bool TryParse(string presented, out string id, out byte[] secretHash)
    {
        id = string.Empty;
        secretHash = [];
        if (presented.Length != Prefix.Length + IdLength + 1 + SecretLength
            || !presented.StartsWith(Prefix, StringComparison.Ordinal)
            || presented[Prefix.Length + IdLength] != '_')
        {
            return false;
        }

        id = presented.Substring(Prefix.Length, IdLength);
        if (!id.All(char.IsAsciiHexDigitLower))
        {
            return false;
        }

        secretHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented[(Prefix.Length + IdLength + 1)..]));
        return true;
    }
}
