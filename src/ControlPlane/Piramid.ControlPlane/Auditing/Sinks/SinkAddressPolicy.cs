using System.Net;
using System.Net.Sockets;

namespace Piramid.ControlPlane.Auditing.Sinks;

/// <summary>
/// Keeps sinks off the platform's own network: unless <see cref="AuditSinkOptions.AllowPrivateAddresses"/>, a sink's
/// host must resolve to public addresses only (no loopback, private, link-local, unique-local or unspecified one).
/// </summary>
public static class SinkAddressPolicy
{
    /// <summary>True for an address a tenant's sink must not reach.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;
        }

        var b = address.GetAddressBytes();
        return b[0] is 10 or 0 || b[0] >= 224
            || (b[0] == 172 && b[1] is >= 16 and <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] is >= 64 and <= 127);
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
