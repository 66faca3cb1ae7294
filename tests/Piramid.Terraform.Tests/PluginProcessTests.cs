using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Piramid.Terraform.Protocol.Hosting;
using Wire = Piramid.Terraform.Protocol.Wire;

namespace Piramid.Terraform.Tests;

/// <summary>
/// The provider process started the way Terraform starts it: the handshake line on stdout, gRPC over mutual TLS
/// that accepts only Terraform's client certificate, the schema, and Shutdown ending the process.
/// </summary>
public sealed class PluginProcessTests
{
    [Fact]
    public async Task StartedAsTerraformDoes_ServesTheSchemaOverMutualTls_AndShutdownEndsIt()
    {
        using var client = ClientCertificate();
        using var plugin = Start(client);
        var line = await plugin.StandardOutput.ReadLineAsync();
        Assert.NotNull(line);
        var parts = line.Split('|');
        Assert.Equal(["1", "6", "tcp"], parts[..3]);
        Assert.Equal("grpc", parts[4]);
        using var server = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(parts[5] + new string('=', (4 - (parts[5].Length % 4)) % 4)));

        using var channel = Channel(parts[3], server, client);
        var provider = new Wire.Provider.ProviderClient(channel);
        var schema = await provider.GetProviderSchemaAsync(new Wire.GetProviderSchema.Types.Request());
        Assert.Equal(["piramid_api_key", "piramid_backup_schedule", "piramid_collection", "piramid_member", "piramid_plan", "piramid_tenant"], schema.ResourceSchemas.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["piramid_collection", "piramid_plans", "piramid_tenant"], schema.DataSourceSchemas.Keys.Order(StringComparer.Ordinal));
        Assert.True(schema.ResourceSchemas["piramid_api_key"].Block.Attributes.Single(a => a.Name == "key").Sensitive);

        await new Wire.Plugin.GRPCController.GRPCControllerClient(channel).ShutdownAsync(new Wire.Plugin.Empty());
        using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await plugin.WaitForExitAsync(exited.Token);
        Assert.Equal(0, plugin.ExitCode);

        // Nothing but the handshake line ever reaches stdout: Terraform would read anything else as protocol.
        Assert.Equal(string.Empty, await plugin.StandardOutput.ReadToEndAsync());
    }

    [Fact]
    public async Task AnotherClientCertificate_IsRefused()
    {
        using var terraform = ClientCertificate();
        using var stranger = ClientCertificate();
        using var plugin = Start(terraform);
        try
        {
            var parts = (await plugin.StandardOutput.ReadLineAsync())!.Split('|');
            using var server = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(parts[5] + new string('=', (4 - (parts[5].Length % 4)) % 4)));
            using var channel = Channel(parts[3], server, stranger);
            var error = await Assert.ThrowsAsync<RpcException>(async () =>
                await new Wire.Provider.ProviderClient(channel).GetProviderSchemaAsync(new Wire.GetProviderSchema.Types.Request()));
            Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        }
        finally
        {
            plugin.Kill();
            await plugin.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task RunDirectly_ExplainsAndExits()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(ProviderDll);
        start.Environment.Remove(Handshake.MagicCookieKey);
        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(1, process.ExitCode);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("started by Terraform", stderr, StringComparison.Ordinal);
    }

    private static string ProviderDll => Path.Combine(AppContext.BaseDirectory, "terraform-provider-piramid.dll");

    private static Process Start(X509Certificate2 client)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = false };
        start.ArgumentList.Add(ProviderDll);
        start.Environment[Handshake.MagicCookieKey] = Handshake.MagicCookieValue;
        start.Environment["PLUGIN_PROTOCOL_VERSIONS"] = "5,6";
        start.Environment["PLUGIN_CLIENT_CERT"] = client.ExportCertificatePem();
        return Process.Start(start)!;
    }

    private static X509Certificate2 ClientCertificate()
    {
        // As Terraform makes its own: self-signed, for localhost, used as a client certificate.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    private static GrpcChannel Channel(string address, X509Certificate2 server, X509Certificate2 client)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.ClientCertificates = [client];

        // Trust exactly the certificate of the handshake line, as Terraform does.
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) =>
            presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(server.RawData);
        return GrpcChannel.ForAddress($"https://{address}", new GrpcChannelOptions { HttpHandler = handler, HttpVersion = HttpVersion.Version20 });
    }
}
