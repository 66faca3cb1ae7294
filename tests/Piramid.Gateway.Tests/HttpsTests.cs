using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit;
using Piramid.TestKit.Platform;

namespace Piramid.Gateway.Tests;

/// <summary>HTTPS is configuration only: give the gateway a certificate and it serves TLS with HSTS.</summary>
[Collection(GatewayCollection.Name)]
public sealed class HttpsTests(PostgresFixture postgres)
{
    [Fact]
    public async Task ConfiguredCertificate_ServesTls_WithHsts()
    {
        using var temp = new TempDirectory("piramid-tls");
        using var certificate = SelfSigned();
        var pfx = temp.Combine("gateway.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "test-password"));
        var https = $"https://127.0.0.1:{LoopbackPort.GetFree()}";
        await using var platform = await PlatformHost.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Https:Url"] = https,
            ["Kestrel:Endpoints:Https:Certificate:Path"] = pfx,
            ["Kestrel:Endpoints:Https:Certificate:Password"] = "test-password",
        });

        string? presented = null;
        using var handler = new HttpClientHandler
        {
            // Pin the test's certificate: anything else is a failure, not a pass.
            ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
            {
                presented = cert?.Thumbprint;
                return cert?.Thumbprint == certificate.Thumbprint;
            },
        };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(https) };

        using var live = await http.GetAsync(new Uri("/health/live", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(certificate.Thumbprint, presented);
        Assert.Contains("max-age=", string.Join(",", live.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);

        using var data = await http.GetAsync(new Uri("/v1/collections", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, data.StatusCode);
        Assert.Equal("application/problem+json", data.Content.Headers.ContentType?.MediaType);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }
}
