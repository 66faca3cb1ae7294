using System.Security.Cryptography;
using Piramid.Contracts;
using Piramid.Contracts.Identity;

namespace Piramid.TestKit.Http;

/// <summary>Signs every request with the internal identity header, as the gateway will.</summary>
public sealed class SigningHandler(byte[] secret, string tenantId, string role, string principal, IReadOnlyList<string>? collections, TimeProvider? time = null)
    : DelegatingHandler(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
{
    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var identity = new InternalIdentity(
            principal,
            tenantId,
            role,
            request.Method.Method,
            request.RequestUri!.AbsolutePath,
            (time ?? TimeProvider.System).GetUtcNow().ToUnixTimeMilliseconds(),
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            collections ?? []);
        request.Headers.Remove(HeaderNames.Identity);
        request.Headers.Add(HeaderNames.Identity, InternalIdentitySigner.Sign(identity, secret));
        return base.SendAsync(request, cancellationToken);
    }
}
