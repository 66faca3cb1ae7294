using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Piramid.Contracts;
using Piramid.Contracts.Identity;
using Piramid.ControlPlane.Orchestration;

namespace Piramid.Gateway.Tests.Hibernation;

/// <summary>
/// A signed write sent straight to an engine (not through the gateway, so it is no activity) whose body never ends:
/// while it is in flight the engine's graceful stop waits for it (Kestrel drains requests before the engine closes),
/// which makes a stop outlast the orchestrator's StopTimeout whatever the engine's speed.
/// </summary>
internal sealed class HeldRequest : IAsyncDisposable
{
    // Well under the engine's 16 MiB body limit, far more than the trickle sends in a minute.
    private const int DeclaredLength = 8 * 1024 * 1024;

    // Kestrel aborts a body slower than 240 bytes/s after 5 s; 1 KiB every 50 ms stays far above that.
    private static readonly byte[] Spaces = Encoding.ASCII.GetBytes(new string(' ', 1024));

    private readonly TcpClient _client;
    private readonly NetworkStream _stream;

    private HeldRequest(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    /// <summary>Connects, sends the headers and the body's first bytes.</summary>
    public static async Task<HeldRequest> OpenAsync(EngineRoute route, string path)
    {
        var client = new TcpClient();
        await client.ConnectAsync(route.Endpoint.Host, route.Endpoint.Port);
        var held = new HeldRequest(client);
        var identity = new InternalIdentity(
            "hibernation-test", route.TenantId, Roles.Admin, "POST", path,
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), []);
        var head = string.Create(CultureInfo.InvariantCulture,
            $"POST {path} HTTP/1.1\r\nHost: {route.Endpoint.Authority}\r\n{HeaderNames.Identity}: {InternalIdentitySigner.Sign(identity, route.EngineSecret)}\r\n"
            + $"Content-Type: application/json\r\nContent-Length: {DeclaredLength}\r\n\r\n{{\"points\":[");
        await held._stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await held._stream.FlushAsync();
        return held;
    }

    /// <summary>
    /// Keeps the body coming until <paramref name="done"/> holds. The connection may end only after it holds (the
    /// orchestrator logs the SIGKILL before sending it); an earlier end means the engine finished the request itself.
    /// </summary>
    public async Task TrickleUntilAsync(Func<bool> done, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"the held request was still in flight after {within}");
            try
            {
                await _stream.WriteAsync(Spaces);
                await _stream.FlushAsync();
            }
            catch (IOException)
            {
                Assert.True(done(), "the engine ended the held request before it was killed");
                return;
            }

            await Task.Delay(50); // Pacing the body, not waiting for an event.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _client.Dispose();
    }
}
