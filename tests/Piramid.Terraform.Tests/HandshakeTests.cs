using Piramid.Terraform.Protocol.Hosting;

namespace Piramid.Terraform.Tests;

/// <summary>The go-plugin handshake's checks and its one line.</summary>
public sealed class HandshakeTests
{
    private static Func<string, string?> Env(params (string Key, string Value)[] values) =>
        key => values.FirstOrDefault(v => v.Key == key).Value;

    [Fact]
    public void WithoutTheMagicCookie_RefusesToStart() =>
        Assert.Contains("started by Terraform", Handshake.Check(Env()), StringComparison.Ordinal);

    [Fact]
    public void WithoutProtocolSix_Refuses() =>
        Assert.Contains("speaks only 6", Handshake.Check(Env((Handshake.MagicCookieKey, Handshake.MagicCookieValue), ("PLUGIN_PROTOCOL_VERSIONS", "4,5"), ("PLUGIN_CLIENT_CERT", "x"))), StringComparison.Ordinal);

    [Fact]
    public void WithoutAClientCertificate_Refuses() =>
        Assert.Contains("PLUGIN_CLIENT_CERT", Handshake.Check(Env((Handshake.MagicCookieKey, Handshake.MagicCookieValue), ("PLUGIN_PROTOCOL_VERSIONS", "5,6"))), StringComparison.Ordinal);

    [Fact]
    public void AsTerraformStartsIt_Starts() =>
        Assert.Null(Handshake.Check(Env((Handshake.MagicCookieKey, Handshake.MagicCookieValue), ("PLUGIN_PROTOCOL_VERSIONS", "5,6"), ("PLUGIN_CLIENT_CERT", "pem"))));

    [Fact]
    public void Line_IsCoreVersionProtocolAddressAndUnpaddedCertificate()
    {
        using var cert = PluginCertificates.CreateServerCertificate(TimeProvider.System);
        var line = Handshake.Line(4321, cert.RawData);
        var parts = line.Split('|');
        Assert.Equal(["1", "6", "tcp", "127.0.0.1:4321", "grpc"], parts[..5]);
        Assert.DoesNotContain('=', parts[5]);
        var padded = parts[5] + new string('=', (4 - (parts[5].Length % 4)) % 4);
        Assert.Equal(cert.RawData, Convert.FromBase64String(padded));
    }

    [Fact]
    public void ServerCertificate_IsACaForLocalhost_WithItsKey()
    {
        using var cert = PluginCertificates.CreateServerCertificate(TimeProvider.System);
        Assert.True(cert.HasPrivateKey);
        Assert.Contains("localhost", cert.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.DnsName, false), StringComparison.Ordinal);
        Assert.True(cert.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension>().Single().CertificateAuthority);
    }
}
