using Piramid.Contracts.Collections;
using Piramid.Engine.Commands;

namespace Piramid.DataPlane.Api;

/// <summary>The collection wire types to the engine's commands, and the engine's descriptions back to wire types.</summary>
internal static class CollectionMapping
{
    public static CreateCollection ToCommand(CreateCollectionRequest request) =>
        new(
            request.Dimension,
            request.Metric,
            request.Index is { } index ? new IndexSpec(index.Type, index.M, index.EfConstruction, index.Ef) : null,
            request.Quantization,
            request.Schema,
            request.AutoIndex);

    public static UpdateCollection ToCommand(CollectionUpdateRequest request) =>
        new(
            request.Dimension,
            request.Metric,
            request.Index is { } index ? new IndexSpec(index.Type, index.M, index.EfConstruction, index.Ef) : null,
            request.Quantization,
            request.Schema,
            request.AutoIndex);

    public static CollectionInfo ToWire(CollectionDescription collection) => new()
    {
        Name = collection.Name,
        Dimension = collection.Dimension,
        Metric = collection.Metric,
        Index = new IndexSettings
        {
            Type = collection.Index.Type,
            M = collection.Index.M,
            EfConstruction = collection.Index.EfConstruction,
            Ef = collection.Index.Ef,
        },
        Quantization = collection.Quantization,
        Schema = collection.Schema,
        AutoIndex = collection.AutoIndex,
        Status = collection.Failed is null ? "ready" : "failed",
        Error = collection.Failed,
        Count = collection.Count,
        BytesOnDisk = collection.BytesOnDisk,
        CreatedAt = collection.CreatedAt,
    };
}
