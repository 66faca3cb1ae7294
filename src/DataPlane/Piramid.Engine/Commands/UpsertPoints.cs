using Piramid.Engine.Idempotency;

namespace Piramid.Engine.Commands;

/// <summary>Insert or replace a batch of points, all or nothing.</summary>
/// <param name="Points">1 to the batch limit of points; a null entry is refused by position.</param>
public sealed record UpsertPoints(IReadOnlyList<NewPoint?>? Points)
{
    /// <summary>When set, a repeat of the same request replays the first result instead of writing again.</summary>
    public WriteIdempotency? Idempotency { get; init; }
}
