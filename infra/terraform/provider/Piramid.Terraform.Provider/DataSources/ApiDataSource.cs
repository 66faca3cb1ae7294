using Piramid.Terraform.Protocol.Diagnostics;
using Piramid.Terraform.Protocol.Resources;
using Piramid.Terraform.Protocol.Schema;
using Piramid.Terraform.Protocol.Values;
using Piramid.Terraform.Provider.Api;
using Piramid.Terraform.Provider.Resources;

namespace Piramid.Terraform.Provider.DataSources;

/// <summary>What every Piramid data source shares: the configured API, problems as diagnostics.</summary>
public abstract class ApiDataSource(PiramidProvider provider) : IDataSource
{
    /// <inheritdoc />
    public abstract string TypeName { get; }

    /// <inheritdoc />
    public abstract TfSchema Schema { get; }

    /// <inheritdoc />
    public async Task<TfValue> ReadAsync(TfValue config, DiagnosticList diagnostics, CancellationToken cancellationToken)
    {
        if (provider.Api(diagnostics) is not { } api)
        {
            return TfValue.Null;
        }

        try
        {
            return await ReadAsync(api, config, diagnostics, cancellationToken);
        }
        catch (ApiProblemException problem)
        {
            ProblemReport.Add(diagnostics, problem, Schema, $"Reading {TypeName}");
            return TfValue.Null;
        }
        catch (HttpRequestException e)
        {
            diagnostics.Error($"Reading {TypeName}: the API cannot be reached", $"{api.Credentials.Endpoint}: {e.Message}");
            return TfValue.Null;
        }
    }

    /// <summary>Reads with the API.</summary>
    protected abstract Task<TfValue> ReadAsync(PiramidApi api, TfValue config, DiagnosticList diagnostics, CancellationToken ct);
}
