using Piramid.Contracts.Points;
using Piramid.Engine.Commands;
using Piramid.Engine.Idempotency;

namespace Piramid.DataPlane.Api;

/// <summary>The point-write wire types to the engine's commands, and the engine's results back to wire types.</summary>
internal static class PointWriteMapping
{
    public static UpsertPoints ToCommand(UpsertPointsRequest request, WriteIdempotency? idempotency) =>
        new(request.Points?.Select(p => p is null ? null : new NewPoint(p.Id, p.Vector, p.Metadata) { VectorBytes = p.VectorB64 }).ToList()) { Idempotency = idempotency };

    public static UpdatePoint ToCommand(string id, UpdatePointRequest request, WriteIdempotency? idempotency) =>
        new(id, request.Vector, request.Metadata) { Idempotency = idempotency };

    public static DeletePoints ToCommand(DeletePointsRequest request, WriteIdempotency? idempotency) =>
        new(request.Ids, request.Filter, request.All) { Idempotency = idempotency };

    public static Contracts.Points.WriteResult ToWire(Engine.Commands.WriteResult result) => new(result.Count, result.Lsn);
}
