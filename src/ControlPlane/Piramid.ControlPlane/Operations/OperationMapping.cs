using System.Text.Json;
using Piramid.Contracts.Operations;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Operations;

/// <summary>Entity → wire.</summary>
public static class OperationMapping
{
    /// <summary>The operation as the API shows it.</summary>
    public static OperationInfo ToInfo(this Operation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return new OperationInfo
        {
            Id = operation.Id,
            TenantId = operation.TenantId,
            Kind = operation.Kind,
            State = operation.State,
            Progress = new OperationProgress { Percent = operation.Percent, Bytes = operation.Bytes, Points = operation.Points },
            Error = Parse(operation.Error),
            Result = Parse(operation.Result),
            CreatedAt = operation.CreatedAt,
            StartedAt = operation.StartedAt,
            FinishedAt = operation.FinishedAt,
        };
    }

    private static JsonElement? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
