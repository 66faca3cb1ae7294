using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;

namespace Piramid.ControlPlane.Auditing.Sinks;

/// <summary>
/// The S3 client's HTTP: the address actually connected to is checked with <see cref="SinkAddressPolicy"/> (the SDK
/// resolves the name again on connect, so a check before it alone loses to DNS rebinding), and redirects are not
/// followed (a store's 3xx could point anywhere). One client per upload, disposed with it.
/// </summary>
public sealed class SinkHttpClientFactory(AuditSinkOptions options) : HttpClientFactory
{
    /// <inheritdoc />
    public override HttpClient CreateHttpClient(IClientConfig clientConfig)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            ConnectCallback = (context, ct) => ConnectAsync(context.DnsEndPoint, options.AllowPrivateAddresses, ct),
        };
        return new HttpClient(handler);
    }

    /// <inheritdoc />
    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    /// <inheritdoc />
    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;

    /// <summary>Resolves and connects, refusing (before and after connecting) an address a sink may not reach.</summary>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivate, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var addresses = await SinkAddressPolicy.ResolveAsync(endpoint.Host, allowPrivate, ct);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, ct);
            if (!allowPrivate && socket.RemoteEndPoint is IPEndPoint { Address: var connected } && SinkAddressPolicy.IsPrivate(connected))
            {
                throw new AuditSinkException($"'{endpoint.Host}' connected to {connected}, a loopback or private address, which a sink may not reach.");
            }

            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
