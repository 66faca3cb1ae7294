using Piramid.Terraform.Protocol.Diagnostics;
using Piramid.Terraform.Protocol.Resources;
using Piramid.Terraform.Protocol.Schema;
using Piramid.Terraform.Protocol.Values;
using Piramid.Terraform.Provider.Api;

namespace Piramid.Terraform.Provider.Resources;

/// <summary>
/// What every Piramid resource shares: the configured API, and API problems turned into diagnostics at the
/// attribute they name (never an exception out of a call).
/// </summary>
public abstract class ApiResource(PiramidProvider provider) : IResource
{
    /// <inheritdoc />
    public abstract string TypeName { get; }

    /// <inheritdoc />
    public abstract TfSchema Schema { get; }

    /// <summary>The resource's name in messages, e.g. "tenant".</summary>
    protected abstract string Noun { get; }

    /// <inheritdoc />
    public virtual void Validate(TfValue config, DiagnosticList diagnostics)
    {
    }

    /// <inheritdoc />
    public virtual void ModifyPlan(ResourcePlan plan, DiagnosticList diagnostics)
    {
    }

    /// <inheritdoc />
    public Task<TfValue> CreateAsync(TfValue planned, DiagnosticList diagnostics, CancellationToken cancellationToken) =>
        CallAsync(diagnostics, $"Creating the {Noun}", TfValue.Null, api => CreateAsync(api, planned, diagnostics, cancellationToken));

    /// <inheritdoc />
    public Task<TfValue> UpdateAsync(TfValue prior, TfValue planned, DiagnosticList diagnostics, CancellationToken cancellationToken) =>
        CallAsync(diagnostics, $"Updating the {Noun}", prior, api => UpdateAsync(api, prior, planned, diagnostics, cancellationToken));

    /// <inheritdoc />
    public Task DeleteAsync(TfValue prior, DiagnosticList diagnostics, CancellationToken cancellationToken) =>
        CallAsync(diagnostics, $"Deleting the {Noun}", prior, async api =>
        {
            await DeleteAsync(api, prior, diagnostics, cancellationToken);
            return TfValue.Null;
        });

    /// <inheritdoc />
    public async Task<TfValue?> ReadAsync(TfValue state, DiagnosticList diagnostics, CancellationToken cancellationToken)
    {
        var read = await CallAsync(diagnostics, $"Reading the {Noun}", state, async api => await ReadAsync(api, state, cancellationToken) ?? TfValue.Null);
        return read.IsNull ? null : read;
    }

    /// <inheritdoc />
    public async Task<TfValue?> ImportAsync(string id, DiagnosticList diagnostics, CancellationToken cancellationToken)
    {
        var imported = await CallAsync(diagnostics, $"Importing the {Noun}", TfValue.Null, async api =>
        {
            var state = await ImportAsync(api, id, diagnostics, cancellationToken);
            if (state is null && !diagnostics.HasErrors)
            {
                diagnostics.Error($"Cannot import the {Noun}", $"No {Noun} '{id}' exists.");
            }

            return state ?? TfValue.Null;
        });
        return imported.IsNull ? null : imported;
    }

    /// <summary>Creates; returns the state.</summary>
    protected abstract Task<TfValue> CreateAsync(PiramidApi api, TfValue planned, DiagnosticList diagnostics, CancellationToken ct);

    /// <summary>Updates in place; returns the state.</summary>
    protected abstract Task<TfValue> UpdateAsync(PiramidApi api, TfValue prior, TfValue planned, DiagnosticList diagnostics, CancellationToken ct);

    /// <summary>Deletes; a 404 is not an error.</summary>
    protected abstract Task DeleteAsync(PiramidApi api, TfValue prior, DiagnosticList diagnostics, CancellationToken ct);

    /// <summary>Reads; null when the object is gone.</summary>
    protected abstract Task<TfValue?> ReadAsync(PiramidApi api, TfValue state, CancellationToken ct);

    /// <summary>The state of the object an import id names, or null.</summary>
    protected abstract Task<TfValue?> ImportAsync(PiramidApi api, string id, DiagnosticList diagnostics, CancellationToken ct);

    /// <summary>The API for this resource (a subclass may refuse the provider's kind of credential).</summary>
    protected virtual PiramidApi? Api(DiagnosticList diagnostics) => provider.Api(diagnostics);

    private async Task<TfValue> CallAsync(DiagnosticList diagnostics, string action, TfValue onFailure, Func<PiramidApi, Task<TfValue>> call)
    {
        if (Api(diagnostics) is not { } api)
        {
            return onFailure;
        }

        try
        {
            return await call(api);
        }
        catch (ApiProblemException problem)
        {
            ProblemReport.Add(diagnostics, problem, Schema, action);
            return onFailure;
        }
        catch (HttpRequestException e)
        {
            diagnostics.Error($"{action}: the API cannot be reached", $"{api.Credentials.Endpoint}: {e.Message}");
            return onFailure;
        }
    }
}
