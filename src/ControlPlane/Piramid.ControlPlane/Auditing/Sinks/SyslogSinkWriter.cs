using System.Net.Sockets;
using System.Text.Json;
using Piramid.Contracts.Admin;

namespace Piramid.ControlPlane.Auditing.Sinks;

/// <summary>
/// Delivers a batch to a syslog receiver over TCP: one connection per batch, every message framed by its octet count,
/// then the sending side is shut and the receiver's close awaited. A receiver closes after it has read up to our end,
/// so a batch counts as delivered only once the receiver read all of it; a connection that breaks before leaves the
/// cursor where it was and the batch is sent again (at-least-once: the receiver may see some entries twice, each with
/// its <c>seq</c> to drop the copy).
/// </summary>
public sealed class SyslogSinkWriter(AuditSinkOptions options)
{
    private static readonly JsonSerializerOptions Json = Piramid.Contracts.Json.WireJson.Options;

    /// <summary>Sends <paramref name="entries"/> and waits until the receiver has read them.</summary>
    public async Task WriteAsync(string host, int port, string tenantId, IReadOnlyList<AuditEventInfo> entries, CancellationToken ct)
    {
        var addresses = await SinkAddressPolicy.ResolveAsync(host, options.AllowPrivateAddresses, ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.DeliveryTimeout);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(addresses, port, timeout.Token);
            var hostname = Environment.MachineName;
            foreach (var e in entries)
            {
                var frame = SyslogFormatter.Frame(e.Time, hostname, e.Seq, e.Source, tenantId, JsonSerializer.Serialize(e, Json));
                await socket.SendAsync(frame, SocketFlags.None, timeout.Token);
            }

            socket.Shutdown(SocketShutdown.Send);
            var buffer = new byte[512];
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
            {
                // A syslog receiver sends nothing back; anything it does send is ignored until it closes.
            }
        }
        catch (SocketException e)
        {
            throw new AuditSinkException($"syslog {host}:{port}: {e.SocketErrorCode} ({e.Message})", e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new AuditSinkException($"syslog {host}:{port}: no close from the receiver within {options.DeliveryTimeout}", e);
        }
    }
}
