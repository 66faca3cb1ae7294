using System.Net;
using System.Net.Sockets;

namespace Piramid.ControlPlane.Auditing.Sinks;

/// <summary>
/// Keeps sinks off the platform's own network: unless <see cref="AuditSinkOptions.AllowPrivateAddresses"/>, a sink's
/// host must resolve to public addresses only (no loopback, private, link-local, unique-local, benchmarking,
/// IETF-protocol, documentation or unspecified one), and an IPv6 address that embeds an IPv4 one (mapped, compatible,
/// NAT64 <c>64:ff9b::/96</c> and <c>64:ff9b:1::/48</c>, 6to4 <c>2002::/16</c>) is judged by the IPv4 address it carries.
/// S3 connections are checked again on connect (<see cref="SinkHttpClientFactory"/>), so a name that resolves
/// differently the second time (DNS rebinding) cannot reach a private address either.
/// </summary>
public static class SinkAddressPolicy
{
    /// <summary>True for an address a tenant's sink must not reach.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && EmbeddedIPv4(address) is { } embedded)
        {
            return IsPrivate(embedded);
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var v6 = address.GetAddressBytes();
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast
                || (v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0d && v6[3] == 0xb8) // 2001:db8::/32, documentation
                || (v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0 && v6[3] == 0) // 2001::/32, Teredo (an IPv4 relay path)
                || (v6[0] == 0x01 && v6[1] == 0 && v6.AsSpan(2, 6).IndexOfAnyExcept((byte)0) < 0); // 100::/64, discard
        }

        var b = address.GetAddressBytes();
        return b[0] is 10 or 0 || b[0] >= 224
            || (b[0] == 172 && b[1] is >= 16 and <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] is >= 64 and <= 127)
            || (b[0] == 198 && b[1] is 18 or 19) // benchmarking
            || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2) // IETF protocol assignments, TEST-NET-1
            || (b[0] == 198 && b[1] == 51 && b[2] == 100) // TEST-NET-2
            || (b[0] == 203 && b[1] == 0 && b[2] == 113); // TEST-NET-3
    }

    // The IPv4 address inside an IPv6 one that carries it: mapped ::ffff:a.b.c.d, compatible ::a.b.c.d (not :: or ::1),
    // NAT64 64:ff9b::a.b.c.d and local-use 64:ff9b:1::/48 (any position: judged by its last 32 bits), 6to4 2002:ab:cd::.
    private static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var b = address.GetAddressBytes();
        var zeros = b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0;
        if (zeros && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && b[15] <= 1))
        {
            return new IPAddress(b.AsSpan(12, 4));
        }

        if (b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b
            && (b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0 || (b[4] == 0 && b[5] == 1)))
        {
            return new IPAddress(b.AsSpan(12, 4));
        }

        return b[0] == 0x20 && b[1] == 0x02 ? new IPAddress(b.AsSpan(2, 4)) : null;
    }

    /// <summary>True when <paramref name="host"/> is written as a private address or <c>localhost</c>.</summary>
    public static bool IsPrivateLiteral(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IsPrivate(address));

    /// <summary>The host's addresses, refused (with the reason) when one of them is private and that is not allowed.</summary>
    public static async Task<IPAddress[]> ResolveAsync(string host, bool allowPrivate, CancellationToken ct)
    {
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        if (addresses.Length == 0)
        {
            throw new AuditSinkException($"'{host}' has no address.");
        }

        if (!allowPrivate && addresses.FirstOrDefault(IsPrivate) is { } bad)
        {
            throw new AuditSinkException($"'{host}' resolves to {bad}, a loopback or private address, which a sink may not reach.");
        }

        return addresses;
    }
}
