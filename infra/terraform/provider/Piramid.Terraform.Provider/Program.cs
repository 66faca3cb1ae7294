using Piramid.Terraform.Protocol.Hosting;
using Piramid.Terraform.Provider;

// Terraform starts this process for each command (often several times); it must answer the handshake fast and
// write nothing else on stdout. docs: infra/terraform/README.md.
return await PluginHost.RunAsync(services => new PiramidProvider(
    Environment.GetEnvironmentVariable,
    new HttpClient { Timeout = TimeSpan.FromSeconds(100) },
    TimeProvider.System));
