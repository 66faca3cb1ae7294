using System.Net;
using System.Net.Sockets;

namespace Piramid.TestKit;

/// <summary>Free TCP ports on 127.0.0.1, chosen by the OS.</summary>
public static class LoopbackPort
{
    /// <summary>A port that was free a moment ago.</summary>
    public static int GetFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
