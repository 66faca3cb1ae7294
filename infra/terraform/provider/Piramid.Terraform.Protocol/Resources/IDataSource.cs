using Piramid.Terraform.Protocol.Diagnostics;
using Piramid.Terraform.Protocol.Schema;
using Piramid.Terraform.Protocol.Values;

namespace Piramid.Terraform.Protocol.Resources;

/// <summary>A data source: reads something the configuration names.</summary>
public interface IDataSource
{
    /// <summary>The type name, e.g. <c>piramid_plans</c>.</summary>
    string TypeName { get; }

    /// <summary>Attributes and their modes.</summary>
    TfSchema Schema { get; }

    /// <summary>Reads: the configuration with its computed attributes filled in.</summary>
    Task<TfValue> ReadAsync(TfValue config, DiagnosticList diagnostics, CancellationToken cancellationToken);
}
