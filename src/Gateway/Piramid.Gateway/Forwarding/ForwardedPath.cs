using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace Piramid.Gateway.Forwarding;

/// <summary>
/// The address a request is forwarded to an engine at, fixed before the identity is signed so that the signed
/// path is exactly the one sent (the engine compares it with its raw request target).
/// </summary>
/// <remarks>
/// Kestrel decodes the path except <c>%2F</c>, so a decoded path cannot tell <c>%2F</c> (a slash inside a point id)
/// from <c>%252F</c> (a percent sign followed by "2F"), and re-encoding it changes ids that hold <c>%</c> or
/// <c>/</c>. A path with a percent escape is therefore sent as the client encoded it, unless it could be read as a
/// different path after normalization (dot segments, backslashes), in which case YARP's own encoding of the
/// decoded path is used, as for every other path.
/// </remarks>
public static class ForwardedPath
{
    /// <summary>The absolute URI of the forwarded request.</summary>
    public static Uri DestinationUri(HttpRequest request, string destinationPrefix, PathString path, QueryString query)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(destinationPrefix);
        var raw = RawPath(request);
        if (raw is null || path != request.Path)
        {
            return RequestUtilities.MakeDestinationAddress(destinationPrefix, path, query);
        }

        return new Uri(string.Concat(destinationPrefix.AsSpan().TrimEnd('/'), raw, query.Value), UriKind.Absolute);
    }

    // The raw path when it is worth keeping (it has escapes) and safe to keep (no segment that normalization
    // could turn into another path), else null.
    private static string? RawPath(HttpRequest request)
    {
        var target = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target) || target[0] != '/')
        {
            return null;
        }

        var end = target.IndexOf('?', StringComparison.Ordinal);
        var raw = end < 0 ? target : target[..end];
        if (request.HttpContext.Items.ContainsKey(MemberPaths.RewrittenItem))
        {
            raw = MemberPaths.KeyPath(raw);
        }

        var risky = raw.Contains('\\', StringComparison.Ordinal)
            || raw.Contains("/.", StringComparison.Ordinal)
            || raw.Contains("%2e", StringComparison.OrdinalIgnoreCase)
            || raw.Contains("%5c", StringComparison.OrdinalIgnoreCase);
        return raw.Contains('%', StringComparison.Ordinal) && !risky ? raw : null;
    }
}
