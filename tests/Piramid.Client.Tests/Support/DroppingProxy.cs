using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Piramid.Client.Tests.Support;

/// <summary>What the proxy does with one accepted connection.</summary>
public enum Drop
{
    /// <summary>Accepts, then resets before reading anything: the request never reaches the server.</summary>
    Reset,

    /// <summary>Forwards the request, reads the server's whole answer, then resets the client: the work is done, the answer lost.</summary>
    LoseAnswer,
}

/// <summary>
/// A loopback TCP proxy in front of the live gateway that drops its first connections as scripted (one
/// <see cref="Drop"/> each), then forwards every later connection unchanged.
/// </summary>
public sealed class DroppingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _target;
    private readonly ConcurrentQueue<Drop> _drops;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _connections;

    public DroppingProxy(Uri target, params Drop[] drops)
    {
        _target = target;
        _drops = new ConcurrentQueue<Drop>(drops);
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    /// <summary>Where clients connect.</summary>
    public Uri Address { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>The answers the server sent on connections whose answer was lost, in order.</summary>
    public ConcurrentQueue<string> LostAnswers { get; } = new();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _ = _drops.TryDequeue(out var drop) ? DropAsync(client, drop) : ForwardAsync(client);
        }
    }

    private async Task DropAsync(Socket client, Drop drop)
    {
        using (client)
        {
            if (drop == Drop.LoseAnswer)
            {
                using var server = await ConnectAsync();
                var request = await ReadMessageAsync(client);
                await server.SendAsync(request, SocketFlags.None);
                LostAnswers.Enqueue(Encoding.UTF8.GetString(await ReadMessageAsync(server)));
            }

            client.LingerState = new LingerOption(true, 0); // close with RST, as a crashed peer does
            client.Close();
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        using (client)
        using (var server = await ConnectAsync())
        {
            await Task.WhenAny(PipeAsync(client, server), PipeAsync(server, client));
        }
    }

    private async Task<Socket> ConnectAsync()
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await server.ConnectAsync(_target.Host, _target.Port, _stop.Token);
        return server;
    }

    private async Task PipeAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token) is var read and > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception failure) when (failure is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // One side went away; the other is closed by the caller.
        }
    }

    /// <summary>One HTTP/1.1 message, its body framed by <c>Content-Length</c> or chunked.</summary>
    private async Task<byte[]> ReadMessageAsync(Socket from)
    {
        var bytes = new List<byte>();
        var buffer = new byte[16 * 1024];
        while (!IsComplete(Encoding.Latin1.GetString([.. bytes])))
        {
            var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
            if (read == 0)
            {
                throw new IOException($"The peer closed after {bytes.Count} bytes of a message.");
            }

            bytes.AddRange(buffer.AsSpan(0, read));
        }

        return [.. bytes];
    }

    /// <summary>Whether <paramref name="text"/> (one char per byte) holds a whole message.</summary>
    private static bool IsComplete(string text)
    {
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var headers = text[..end].Split("\r\n").Skip(1).Select(line => line.Split(':', 2)).Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Trim(), StringComparer.OrdinalIgnoreCase);
        if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            return text.EndsWith("0\r\n\r\n", StringComparison.Ordinal);
        }

        var length = headers.TryGetValue("Content-Length", out var value) ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return text.Length >= end + 4 + length;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
