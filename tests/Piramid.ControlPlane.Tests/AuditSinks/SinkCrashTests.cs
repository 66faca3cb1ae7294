using System.Net;
using System.Net.Sockets;
using Npgsql;
using Piramid.ControlPlane.Tests.Backups;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit.Platform;
using Piramid.TestKit.Syslog;
using static Piramid.ControlPlane.Tests.AuditSinks.SinkTestSupport;

namespace Piramid.ControlPlane.Tests.AuditSinks;

/// <summary>
/// A control plane SIGKILLed in the middle of a delivery (its messages sent, the receiver's close not yet seen) has not
/// moved the cursor; the restarted one resumes from the cursor in PostgreSQL and the receiver gets every entry, none
/// missing.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SinkCrashTests(PostgresFixture postgres)
{
    [Fact]
    public async Task AControlPlaneKilledMidDelivery_ResumesFromTheDurableCursor_WithoutAGap()
    {
        await using var before = await RsyslogServer.StartAsync();
        var port = before.Port;
        await using var f = await BackupFixture.StartAsync(postgres, "sink-crash", store: Settings());
        await f.CreateCollectionAsync("docs", 4);
        await f.UpsertAsync("docs", 0, 2, 4, seed: 1);
        await BackupFixture.SendAsync(f.Admin, HttpMethod.Put, $"/v1/tenants/{f.Tenant}/audit/sink",
            new { kind = "syslog", host = "127.0.0.1", port }, HttpStatusCode.OK);
        var first = await ExportLinesAsync(f);
        await WaitSinkAsync(f, s => Reached(s, ControlHead(first), DataHead(first)), "the first entries delivered");
        var cursor = await DataCursorAsync(f);
        Assert.Equal(DataHead(first), cursor);

        await WaitLinesAsync(before, EntriesByKey(first).Count);

        // The receiver is replaced by one that reads everything and never closes: a delivery that never completes.
        await before.KillAsync();
        using var stall = new StallingReceiver(port);
        using var engine = f.Engine(); // signed for the engine, which keeps running and auditing without its control plane
        await f.Host.StopAsync();
        try
        {
            foreach (var id in new[] { "p10", "p11", "p12" })
            {
                await BackupFixture.SendAsync(engine, HttpMethod.Post, "/v1/collections/docs/points",
                    new { points = new[] { new { id, vector = new[] { 1f, 0f, 0f, 0f } } } }, HttpStatusCode.OK);
            }

            using (var process = await ControlPlaneProcess.StartAsync(f.Host, new Dictionary<string, string?>(), BackupFixture.Patience))
            {
                await stall.WaitForBytesAsync(Patience);
                process.Kill(); // SIGKILL while it waits for the receiver to close
            }

            Assert.Equal(cursor, await DataCursorAsync(f)); // unconfirmed: the cursor did not move
            stall.Dispose();
        }
        finally
        {
            await f.Host.StartAgainAsync(); // also when the part above failed, so that the fixture can clean up
        }

        await using var after = await RsyslogServer.StartOnAsync(port);
        var all = await ExportLinesAsync(f);
        await WaitSinkAsync(f, s => Reached(s, ControlHead(all), DataHead(all)), "everything delivered after the restart");

        var keysBefore = before.ReadLines().Select(ParseReceived).Select(r => $"{r.Source}:{r.Seq}").ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        List<string> keysAfter;
        while ((keysAfter = [.. after.ReadLines().Select(ParseReceived).Select(r => $"{r.Source}:{r.Seq}")]).Count + keysBefore.Count < EntriesByKey(all).Count)
        {
            Assert.True(clock.Elapsed < Patience, $"rsyslog wrote {keysAfter.Count} lines after the restart");
            await Task.Delay(50);
        }

        Assert.Empty(keysBefore.Intersect(keysAfter)); // what was confirmed is not sent again
        Assert.Equal(EntriesByKey(all).Keys.Order(StringComparer.Ordinal), keysBefore.Concat(keysAfter).Order(StringComparer.Ordinal));
        Assert.True(stall.Received > 0);
    }

    private static async Task<long> DataCursorAsync(BackupFixture f)
    {
        await using var connection = new NpgsqlConnection(f.Host.Settings["ConnectionStrings:ControlPlane"]);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT data_cursor FROM audit_sinks WHERE tenant_id = @t", connection);
        command.Parameters.AddWithValue("t", f.Tenant);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    // Accepts on the port, reads and counts everything, and never closes a connection until disposed.
    private sealed class StallingReceiver : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly List<Socket> _sockets = [];
        private readonly CancellationTokenSource _stop = new();
        private long _received;

        public StallingReceiver(int port)
        {
            _listener = new TcpListener(IPAddress.Loopback, port);
            _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _listener.Start();
            _ = AcceptAsync();
        }

        public long Received => Interlocked.Read(ref _received);

        public async Task WaitForBytesAsync(TimeSpan patience)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (Received == 0)
            {
                Assert.True(clock.Elapsed < patience, "no delivery reached the stalling receiver");
                await Task.Delay(20);
            }
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var socket = await _listener.AcceptSocketAsync(_stop.Token);
                    lock (_sockets)
                    {
                        _sockets.Add(socket);
                    }

                    _ = ReadAsync(socket);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        }

        private async Task ReadAsync(Socket socket)
        {
            var buffer = new byte[4096];
            try
            {
                int n;
                while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
                {
                    Interlocked.Add(ref _received, n);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Stopped, or the sender died.
            }
        }

        public void Dispose()
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            _stop.Cancel();
            _listener.Stop();
            lock (_sockets)
            {
                foreach (var s in _sockets)
                {
                    s.Dispose();
                }
            }
        }
    }
}
