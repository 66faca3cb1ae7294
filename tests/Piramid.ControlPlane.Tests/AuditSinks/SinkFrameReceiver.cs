using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Piramid.ControlPlane.Tests.AuditSinks;

/// <summary>
/// A syslog receiver over TCP on a free loopback port: reads each connection to its end (octet-counted frames, RFC
/// 6587), then closes it, as rsyslog does; keeps every message's JSON line. Or, with <paramref name="blackHole"/>,
/// accepts connections and never reads nor closes them (a stalled receiver).
/// </summary>
internal sealed class SinkFrameReceiver : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<JsonObject> _messages = new();
    private readonly ConcurrentBag<TcpClient> _held = [];
    private readonly Task _accepting;

    public SinkFrameReceiver(bool blackHole = false)
    {
        _listener.Start();
        _accepting = AcceptAsync(blackHole);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The entries received (each message's JSON line), in arrival order.</summary>
    public IReadOnlyList<JsonObject> Messages => [.. _messages];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var c in _held)
        {
            c.Dispose();
        }

        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync(bool blackHole)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (blackHole)
            {
                client.ReceiveBufferSize = 1024;
                _held.Add(client);
                continue;
            }

            _ = Task.Run(() => ReadAsync(client));
        }
    }

    private async Task ReadAsync(TcpClient client)
    {
        using (client)
        {
            var buffer = new MemoryStream();
            await client.GetStream().CopyToAsync(buffer, _stop.Token);
            var bytes = buffer.ToArray();
            for (var at = 0; at < bytes.Length;)
            {
                var space = Array.IndexOf(bytes, (byte)' ', at);
                var length = int.Parse(Encoding.ASCII.GetString(bytes, at, space - at), System.Globalization.CultureInfo.InvariantCulture);
                var message = Encoding.UTF8.GetString(bytes, space + 1, length);
                var json = message.IndexOf("] {", StringComparison.Ordinal);
                _messages.Enqueue(JsonNode.Parse(message[(json + 2)..])!.AsObject());
                at = space + 1 + length;
            }
        }
    }
}
