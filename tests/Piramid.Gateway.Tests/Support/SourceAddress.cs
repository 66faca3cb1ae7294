using System.Net;
using System.Net.Sockets;

namespace Piramid.Gateway.Tests.Support;

/// <summary>Clients that connect from a chosen loopback address (all of 127.0.0.0/8 is local on Linux), to play several client addresses.</summary>
public static class SourceAddress
{
    /// <summary>A client of the gateway whose connections come from <paramref name="source"/>, with an optional API key.</summary>
    public static HttpClient Client(PlatformHost platform, string source, string? key = null)
    {
        ArgumentNullException.ThrowIfNull(platform);
        var local = IPAddress.Parse(source);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var http = new HttpClient(handler) { BaseAddress = platform.GatewayAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", key);
        }

        return http;
    }
}
