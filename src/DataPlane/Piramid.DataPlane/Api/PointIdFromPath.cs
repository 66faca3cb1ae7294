using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Piramid.Engine;

namespace Piramid.DataPlane.Api;

/// <summary>
/// The point id of a <c>/points/{id}</c> route, read from the raw request target. Routing decodes every escape but
/// <c>%2F</c>, so its route value cannot tell an id <c>a/b</c> (sent <c>a%2Fb</c>) from an id <c>a%2Fb</c> (sent
/// <c>a%252Fb</c>); the raw last segment, percent-decoded exactly once, can.
/// </summary>
internal static class PointIdFromPath
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The id of the request's last path segment; a malformed escape or invalid UTF-8 is a 400 naming the id.</summary>
    public static string Read(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target))
        {
            // No raw target (not Kestrel): the route value is the best there is.
            return context.Request.RouteValues["id"] as string ?? string.Empty;
        }

        var end = target.IndexOf('?', StringComparison.Ordinal);
        var path = end < 0 ? target : target[..end];
        var segment = path[(path.LastIndexOf('/') + 1)..];
        CheckEscapes(segment);
        return Uri.UnescapeDataString(segment);
    }

    // Uri.UnescapeDataString leaves a bad escape as it is, which would make "a%zz" and "a%25zz" the same id: refuse them.
    private static void CheckEscapes(string segment)
    {
        if (!segment.Contains('%', StringComparison.Ordinal))
        {
            return;
        }

        var bytes = new List<byte>(segment.Length);
        for (var i = 0; i < segment.Length; i++)
        {
            if (segment[i] != '%')
            {
                // Kestrel reads a raw target's non-ASCII bytes as UTF-8; count them back as such.
                bytes.AddRange(Encoding.UTF8.GetBytes(segment[i].ToString()));
                continue;
            }

            if (i + 2 >= segment.Length || !Uri.IsHexDigit(segment[i + 1]) || !Uri.IsHexDigit(segment[i + 2]))
            {
                throw EngineException.Invalid($"The point id '{segment}' in the path has a '%' not followed by two hex digits; encode '%' as %25.");
            }

            bytes.Add((byte)((Uri.FromHex(segment[i + 1]) << 4) | Uri.FromHex(segment[i + 2])));
            i += 2;
        }

        try
        {
            StrictUtf8.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            throw EngineException.Invalid($"The point id '{segment}' in the path is not UTF-8 once percent-decoded.");
        }
    }
}
