using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Piramid.Terraform.Protocol.Resources;

namespace Piramid.Terraform.Protocol.Hosting;

/// <summary>
/// Runs a provider as Terraform expects: handshake checks, gRPC over HTTP/2 with mutual TLS on a free loopback port,
/// the one handshake line on stdout, every log line on stderr, and exit once Terraform calls Shutdown.
/// </summary>
public static class PluginHost
{
    /// <summary>Runs until Terraform shuts the plugin down; returns the process exit code.</summary>
    public static async Task<int> RunAsync(Func<IServiceProvider, IProvider> createProvider, Action<IServiceCollection>? services = null)
    {
        if (Handshake.Check(Environment.GetEnvironmentVariable) is { } refusal)
        {
            await Console.Error.WriteLineAsync(refusal);
            return 1;
        }

        var clientCertificate = PluginCertificates.LoadClientCertificate(Environment.GetEnvironmentVariable("PLUGIN_CLIENT_CERT")!);
        var serverCertificate = PluginCertificates.CreateServerCertificate(TimeProvider.System);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();

        // stdout belongs to the handshake: everything else goes to stderr, which Terraform shows with TF_LOG.
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(Environment.GetEnvironmentVariable("TF_LOG_PROVIDER") is { Length: > 0 } ? LogLevel.Debug : LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = serverCertificate,
                    ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                    ClientCertificateValidation = (presented, _, _) => PluginCertificates.IsExpectedClient(presented, clientCertificate),
                });
            });
        });
        builder.Services.AddGrpc(o => o.EnableDetailedErrors = true);
        builder.Services.AddSingleton(createProvider);
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapGrpcService<ProviderService>();
        app.MapGrpcService<ControllerService>();
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        await Console.Out.WriteLineAsync(Handshake.Line(port, serverCertificate.RawData));
        await Console.Out.FlushAsync();

        await app.WaitForShutdownAsync();
        return 0;
    }
}
