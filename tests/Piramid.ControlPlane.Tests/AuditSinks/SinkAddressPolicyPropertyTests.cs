using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.S3;
using Piramid.ControlPlane.Auditing.Sinks;

namespace Piramid.ControlPlane.Tests.AuditSinks;

/// <summary>
/// Property test of the sink address policy: every private IPv4 address (each refused range, random hosts in it) is
/// refused plainly and in every IPv6 form that carries it (mapped, compatible, NAT64 well-known and local-use, 6to4),
/// as an address and as a literal host; public addresses stay allowed in the same forms. And the S3 client's HTTP
/// refuses a private address on connect and does not follow a redirect (a loopback HTTP server answering 307).
/// </summary>
public sealed class SinkAddressPolicyPropertyTests
{
    // Refused IPv4 ranges: first address and prefix length.
    private static readonly (byte[] Start, int Prefix)[] Private =
    [
        ([0, 0, 0, 0], 8), ([10, 0, 0, 0], 8), ([100, 64, 0, 0], 10), ([127, 0, 0, 0], 8), ([169, 254, 0, 0], 16),
        ([172, 16, 0, 0], 12), ([192, 0, 0, 0], 24), ([192, 168, 0, 0], 16), ([198, 18, 0, 0], 15), ([224, 0, 0, 0], 4),
        ([240, 0, 0, 0], 4),
    ];

    [Fact]
    public void EveryPrivateIPv4_IsRefused_InEveryIPv6FormThatCarriesIt()
    {
        var random = new Random(6052);
        foreach (var (start, prefix) in Private)
        {
            for (var i = 0; i < 200; i++)
            {
                var v4 = InRange(random, start, prefix);
                foreach (var form in Forms(random, v4).Prepend(v4))
                {
                    Assert.True(SinkAddressPolicy.IsPrivate(form), $"{form} (carrying {v4}) was allowed");
                    Assert.True(SinkAddressPolicy.IsPrivateLiteral(form.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{form}]" : form.ToString()), $"literal {form} was allowed");
                }
            }
        }
    }

    [Fact]
    public void PublicIPv4_StaysAllowed_InTheFormsThatCarryIt()
    {
        var random = new Random(6053);
        var checkedCount = 0;
        while (checkedCount < 500)
        {
            var v4 = new IPAddress(random.Next(1, 224) is var a ? [(byte)a, (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)] : []);
            if (Private.Any(r => InPrefix(v4.GetAddressBytes(), r.Start, r.Prefix)) || IsDocumentation(v4.GetAddressBytes()))
            {
                continue;
            }

            foreach (var form in Forms(random, v4).Prepend(v4))
            {
                Assert.False(SinkAddressPolicy.IsPrivate(form), $"{form} (carrying public {v4}) was refused");
            }

            checkedCount++;
        }
    }

    [Fact]
    public void PrivateIPv6Ranges_AreRefused()
    {
        foreach (var text in new[] { "::", "::1", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "fec0::1", "2001:db8::1", "2001:0:4136:e378::1", "100::1" })
        {
            Assert.True(SinkAddressPolicy.IsPrivate(IPAddress.Parse(text)), text);
        }

        Assert.False(SinkAddressPolicy.IsPrivate(IPAddress.Parse("2606:4700::1111")));
    }

    [Fact]
    public async Task TheS3ClientsConnection_RefusesAPrivateAddress_AndDoesNotFollowARedirect()
    {
        await Assert.ThrowsAsync<AuditSinkException>(async () =>
            await SinkHttpClientFactory.ConnectAsync(new DnsEndPoint("127.0.0.1", 9), allowPrivate: false, CancellationToken.None));

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serving = Task.Run(async () =>
        {
            // Every request gets a 307 to another loopback port; a client that follows it would make a second request.
            for (var served = 0; served < 2; served++)
            {
                using var client = await listener.AcceptTcpClientAsync();
                var stream = client.GetStream();
                var buffer = new byte[4096];
                var read = 0;
                while (!Encoding.ASCII.GetString(buffer, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    read += await stream.ReadAsync(buffer.AsMemory(read));
                }

                var target = served == 0 ? $"http://127.0.0.1:{port}/followed" : "http://127.0.0.1:1/again";
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 307 Temporary Redirect\r\nLocation: {target}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
            }
        });

        using var http = new SinkHttpClientFactory(new AuditSinkOptions { AllowPrivateAddresses = true }).CreateHttpClient(new AmazonS3Config());
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/bucket/key"));
        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.False(serving.IsCompleted);
        listener.Stop();
    }

    private static IEnumerable<IPAddress> Forms(Random random, IPAddress v4)
    {
        var b = v4.GetAddressBytes();
        yield return v4.MapToIPv6();
        if (!(b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] <= 1))
        {
            yield return new IPAddress([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, b[0], b[1], b[2], b[3]]); // compatible
        }

        yield return new IPAddress([0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, b[0], b[1], b[2], b[3]]); // NAT64
        var local = new byte[16];
        random.NextBytes(local);
        local[0] = 0; local[1] = 0x64; local[2] = 0xff; local[3] = 0x9b; local[4] = 0; local[5] = 1;
        b.CopyTo(local, 12);
        yield return new IPAddress(local); // NAT64 local use
        var sixToFour = new byte[16];
        random.NextBytes(sixToFour);
        sixToFour[0] = 0x20; sixToFour[1] = 0x02;
        b.CopyTo(sixToFour, 2);
        yield return new IPAddress(sixToFour); // 6to4
    }

    private static IPAddress InRange(Random random, byte[] start, int prefix)
    {
        var value = (uint)(start[0] << 24 | start[1] << 16 | start[2] << 8 | start[3]);
        var host = prefix == 32 ? 0u : (uint)random.NextInt64(0, 1L << (32 - prefix));
        var v = value | host;
        return new IPAddress([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]);
    }

    private static bool InPrefix(byte[] address, byte[] start, int prefix)
    {
        var a = (uint)(address[0] << 24 | address[1] << 16 | address[2] << 8 | address[3]);
        var s = (uint)(start[0] << 24 | start[1] << 16 | start[2] << 8 | start[3]);
        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        return (a & mask) == (s & mask);
    }

    private static bool IsDocumentation(byte[] b) =>
        (b[0] == 192 && b[1] == 0 && b[2] == 2) || (b[0] == 198 && b[1] == 51 && b[2] == 100) || (b[0] == 203 && b[1] == 0 && b[2] == 113);
}
