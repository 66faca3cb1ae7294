using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Piramid.Terraform.Protocol.Hosting;

/// <summary>The certificates of AutoMTLS: our own self-signed server certificate and the one Terraform sent.</summary>
public static class PluginCertificates
{
    /// <summary>
    /// A fresh self-signed certificate for <c>localhost</c>, as go-plugin makes one: ECDSA P-256, a CA (Terraform puts
    /// it in its root pool and verifies the server against it), valid from a minute ago for a day (one process).
    /// </summary>
    public static X509Certificate2 CreateServerCertificate(TimeProvider time)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost,O=HashiCorp", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        var now = time.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-1), now.AddDays(1));

        // Kestrel on Linux needs the key in an exportable, loaded form: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Terraform's client certificate from <c>PLUGIN_CLIENT_CERT</c> (PEM).</summary>
    public static X509Certificate2 LoadClientCertificate(string pem) => X509Certificate2.CreateFromPem(pem);

    /// <summary>True when the peer presented exactly the certificate Terraform announced.</summary>
    public static bool IsExpectedClient(X509Certificate2? presented, X509Certificate2 expected) =>
        presented is not null && presented.RawDataMemory.Span.SequenceEqual(expected.RawDataMemory.Span);
}
