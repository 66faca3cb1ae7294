using Piramid.Terraform.Protocol.Diagnostics;
using Piramid.Terraform.Protocol.Schema;
using Piramid.Terraform.Protocol.Values;

namespace Piramid.Terraform.Protocol.Resources;

/// <summary>A provider: its configuration and the resource and data source types it serves.</summary>
public interface IProvider
{
    /// <summary>The provider block's schema.</summary>
    TfSchema ConfigSchema { get; }

    /// <summary>Resource types.</summary>
    IReadOnlyList<IResource> Resources { get; }

    /// <summary>Data source types.</summary>
    IReadOnlyList<IDataSource> DataSources { get; }

    /// <summary>Checks the provider block (values may be unknown).</summary>
    void Validate(TfValue config, DiagnosticList diagnostics);

    /// <summary>
    /// Takes the provider block. Values may still be unknown during a plan (a provider configured from a resource
    /// created in the same run); calls that need them then fail with a diagnostic.
    /// </summary>
    void Configure(TfValue config, DiagnosticList diagnostics);
}
