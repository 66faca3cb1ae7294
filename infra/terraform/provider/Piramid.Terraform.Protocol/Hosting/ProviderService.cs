using Google.Protobuf;
using Grpc.Core;
using Piramid.Terraform.Protocol.Diagnostics;
using Piramid.Terraform.Protocol.Resources;
using Piramid.Terraform.Protocol.Schema;
using Piramid.Terraform.Protocol.Values;
using Wire = Piramid.Terraform.Protocol.Wire;

namespace Piramid.Terraform.Protocol.Hosting;

/// <summary>
/// The <c>tfplugin6.Provider</c> service: decodes values with the schemas, runs the provider's resources and turns
/// every failure into diagnostics (a gRPC error would only say "plugin error" to the user).
/// </summary>
public sealed partial class ProviderService(IProvider provider, ILogger<ProviderService> logger) : Wire.Provider.ProviderBase
{
    /// <inheritdoc />
    public override Task<Wire.GetMetadata.Types.Response> GetMetadata(Wire.GetMetadata.Types.Request request, ServerCallContext context)
    {
        var response = new Wire.GetMetadata.Types.Response { ServerCapabilities = Capabilities() };
        response.Resources.AddRange(provider.Resources.Select(r => new Wire.GetMetadata.Types.ResourceMetadata { TypeName = r.TypeName }));
        response.DataSources.AddRange(provider.DataSources.Select(d => new Wire.GetMetadata.Types.DataSourceMetadata { TypeName = d.TypeName }));
        return Task.FromResult(response);
    }

    /// <inheritdoc />
    public override Task<Wire.GetProviderSchema.Types.Response> GetProviderSchema(Wire.GetProviderSchema.Types.Request request, ServerCallContext context)
    {
        var response = new Wire.GetProviderSchema.Types.Response
        {
            Provider = provider.ConfigSchema.ToWire(),
            ServerCapabilities = Capabilities(),
        };
        foreach (var resource in provider.Resources)
        {
            response.ResourceSchemas[resource.TypeName] = resource.Schema.ToWire();
        }

        foreach (var dataSource in provider.DataSources)
        {
            response.DataSourceSchemas[dataSource.TypeName] = dataSource.Schema.ToWire();
        }

        return Task.FromResult(response);
    }

    /// <inheritdoc />
    public override Task<Wire.ValidateProviderConfig.Types.Response> ValidateProviderConfig(Wire.ValidateProviderConfig.Types.Request request, ServerCallContext context)
    {
        var diagnostics = new DiagnosticList();
        Guard(diagnostics, () => provider.Validate(Decode(request.Config, provider.ConfigSchema), diagnostics));
        var response = new Wire.ValidateProviderConfig.Types.Response();
        response.Diagnostics.AddRange(diagnostics.ToWire());
        return Task.FromResult(response);
    }

    /// <inheritdoc />
    public override Task<Wire.ConfigureProvider.Types.Response> ConfigureProvider(Wire.ConfigureProvider.Types.Request request, ServerCallContext context)
    {
        var diagnostics = new DiagnosticList();
        Guard(diagnostics, () => provider.Configure(Decode(request.Config, provider.ConfigSchema), diagnostics));
        var response = new Wire.ConfigureProvider.Types.Response();
        response.Diagnostics.AddRange(diagnostics.ToWire());
        return Task.FromResult(response);
    }

    /// <inheritdoc />
    public override Task<Wire.ValidateResourceConfig.Types.Response> ValidateResourceConfig(Wire.ValidateResourceConfig.Types.Request request, ServerCallContext context)
    {
        var diagnostics = new DiagnosticList();
        var resource = Resource(request.TypeName);
        Guard(diagnostics, () => resource.Validate(Decode(request.Config, resource.Schema), diagnostics));
        var response = new Wire.ValidateResourceConfig.Types.Response();
        response.Diagnostics.AddRange(diagnostics.ToWire());
        return Task.FromResult(response);
    }

    /// <inheritdoc />
    public override Task<Wire.ValidateDataResourceConfig.Types.Response> ValidateDataResourceConfig(Wire.ValidateDataResourceConfig.Types.Request request, ServerCallContext context)
    {
        DataSource(request.TypeName);
        return Task.FromResult(new Wire.ValidateDataResourceConfig.Types.Response());
    }

    /// <inheritdoc />
    public override Task<Wire.UpgradeResourceState.Types.Response> UpgradeResourceState(Wire.UpgradeResourceState.Types.Request request, ServerCallContext context)
    {
        // Schema version 0 is the only one so far: the stored JSON is re-encoded as it is.
        var resource = Resource(request.TypeName);
        var diagnostics = new DiagnosticList();
        var response = new Wire.UpgradeResourceState.Types.Response();
        Guard(diagnostics, () =>
        {
            var state = ValueCodec.FromJson(request.RawState.Json.Span, resource.Schema.ObjectType);
            response.UpgradedState = Encode(state, resource.Schema);
        });
        response.Diagnostics.AddRange(diagnostics.ToWire());
        return Task.FromResult(response);
    }

    /// <inheritdoc />
    public override async Task<Wire.ReadResource.Types.Response> ReadResource(Wire.ReadResource.Types.Request request, ServerCallContext context)
    {
        var resource = Resource(request.TypeName);
        var diagnostics = new DiagnosticList();
        var response = new Wire.ReadResource.Types.Response { Private = request.Private };
        await GuardAsync(diagnostics, async () =>
        {
            var current = Decode(request.CurrentState, resource.Schema);
            var state = current.IsNull ? TfValue.Null : await resource.ReadAsync(current, diagnostics, context.CancellationToken) ?? TfValue.Null;
            response.NewState = Encode(diagnostics.HasErrors ? current : state, resource.Schema);
        });
        response.Diagnostics.AddRange(diagnostics.ToWire());
        return response;
    }

    /// <inheritdoc />
    public override Task<Wire.PlanResourceChange.Types.Response> PlanResourceChange(Wire.PlanResourceChange.Types.Request request, ServerCallContext context)
    {
        var resource = Resource(request.TypeName);
        var diagnostics = new DiagnosticList();
        var response = new Wire.PlanResourceChange.Types.Response { PlannedPrivate = request.PriorPrivate };
        Guard(diagnostics, () =>
        {
            var plan = Planner.Plan(resource, Decode(request.PriorState, resource.Schema),
                Decode(request.ProposedNewState, resource.Schema), Decode(request.Config, resource.Schema), diagnostics);
            response.PlannedState = Encode(plan.Planned, resource.Schema);
            response.RequiresReplace.AddRange(plan.RequiresReplace.Select(p => p.ToWire()));
        });
        response.Diagnostics.AddRange(diagnostics.ToWire());
        return Task.FromResult(response);
    }

    /// <inheritdoc />
    public override async Task<Wire.ApplyResourceChange.Types.Response> ApplyResourceChange(Wire.ApplyResourceChange.Types.Request request, ServerCallContext context)
    {
        var resource = Resource(request.TypeName);
        var diagnostics = new DiagnosticList();
        var response = new Wire.ApplyResourceChange.Types.Response { Private = request.PlannedPrivate };
        var prior = Decode(request.PriorState, resource.Schema);
        var planned = Decode(request.PlannedState, resource.Schema);
        var state = prior;
        await GuardAsync(diagnostics, async () =>
        {
            if (planned.IsNull)
            {
                await resource.DeleteAsync(prior, diagnostics, context.CancellationToken);
                state = diagnostics.HasErrors ? prior : TfValue.Null;
            }
            else if (prior.IsNull)
            {
                state = await resource.CreateAsync(planned, diagnostics, context.CancellationToken);
            }
            else
            {
                state = await resource.UpdateAsync(prior, planned, diagnostics, context.CancellationToken);
            }
        });
        response.NewState = Encode(state, resource.Schema);
        response.Diagnostics.AddRange(diagnostics.ToWire());
        return response;
    }

    /// <inheritdoc />
    public override async Task<Wire.ImportResourceState.Types.Response> ImportResourceState(Wire.ImportResourceState.Types.Request request, ServerCallContext context)
    {
        var resource = Resource(request.TypeName);
        var diagnostics = new DiagnosticList();
        var response = new Wire.ImportResourceState.Types.Response();
        await GuardAsync(diagnostics, async () =>
        {
            if (await resource.ImportAsync(request.Id, diagnostics, context.CancellationToken) is { } state && !diagnostics.HasErrors)
            {
                response.ImportedResources.Add(new Wire.ImportResourceState.Types.ImportedResource
                {
                    TypeName = resource.TypeName,
                    State = Encode(state, resource.Schema),
                });
            }
        });
        response.Diagnostics.AddRange(diagnostics.ToWire());
        return response;
    }

    /// <inheritdoc />
    public override async Task<Wire.ReadDataSource.Types.Response> ReadDataSource(Wire.ReadDataSource.Types.Request request, ServerCallContext context)
    {
        var dataSource = DataSource(request.TypeName);
        var diagnostics = new DiagnosticList();
        var response = new Wire.ReadDataSource.Types.Response();
        await GuardAsync(diagnostics, async () =>
        {
            var state = await dataSource.ReadAsync(Decode(request.Config, dataSource.Schema), diagnostics, context.CancellationToken);
            response.State = Encode(diagnostics.HasErrors ? TfValue.Null : state, dataSource.Schema);
        });
        response.Diagnostics.AddRange(diagnostics.ToWire());
        return response;
    }

    /// <inheritdoc />
    public override Task<Wire.GetFunctions.Types.Response> GetFunctions(Wire.GetFunctions.Types.Request request, ServerCallContext context) =>
        Task.FromResult(new Wire.GetFunctions.Types.Response());

    /// <inheritdoc />
    public override Task<Wire.StopProvider.Types.Response> StopProvider(Wire.StopProvider.Types.Request request, ServerCallContext context) =>
        Task.FromResult(new Wire.StopProvider.Types.Response());

    /// <summary>Decodes a DynamicValue of a schema (msgpack, or JSON when that is what came).</summary>
    public static TfValue Decode(Wire.DynamicValue? value, TfSchema schema)
    {
        if (value is null)
        {
            return TfValue.Null;
        }

        return value.Msgpack.IsEmpty && !value.Json.IsEmpty
            ? ValueCodec.FromJson(value.Json.Span, schema.ObjectType)
            : ValueCodec.FromMsgPack(value.Msgpack.Span, schema.ObjectType);
    }

    /// <summary>Encodes a value of a schema as msgpack.</summary>
    public static Wire.DynamicValue Encode(TfValue value, TfSchema schema) =>
        new() { Msgpack = ByteString.CopyFrom(ValueCodec.ToMsgPack(value, schema.ObjectType)) };

    private static Wire.ServerCapabilities Capabilities() => new() { PlanDestroy = false, GetProviderSchemaOptional = false };

    private IResource Resource(string typeName) =>
        provider.Resources.FirstOrDefault(r => r.TypeName == typeName)
        ?? throw new RpcException(new Status(StatusCode.NotFound, $"No resource type '{typeName}'."));

    private IDataSource DataSource(string typeName) =>
        provider.DataSources.FirstOrDefault(d => d.TypeName == typeName)
        ?? throw new RpcException(new Status(StatusCode.NotFound, $"No data source type '{typeName}'."));

    private void Guard(DiagnosticList diagnostics, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Failed(diagnostics, e);
        }
    }

    private async Task GuardAsync(DiagnosticList diagnostics, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Failed(diagnostics, e);
        }
    }

    private void Failed(DiagnosticList diagnostics, Exception e)
    {
        LogCallFailed(e);
        diagnostics.Error("Provider error", $"{e.GetType().Name}: {e.Message}");
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A provider call failed")]
    private partial void LogCallFailed(Exception exception);
}
