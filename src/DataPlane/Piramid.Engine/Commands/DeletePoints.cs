using System.Text.Json;
using Piramid.Engine.Idempotency;

namespace Piramid.Engine.Commands;

/// <summary>Delete points by ids, by filter, or all of them: exactly one of the three.</summary>
/// <param name="Ids">Ids to delete; absent ones are ignored.</param>
/// <param name="Filter">A filter expression, or undefined/null.</param>
/// <param name="All">True to delete every point (never with ids or a filter).</param>
public sealed record DeletePoints(IReadOnlyList<string>? Ids, JsonElement Filter = default, bool All = false)
{
    /// <summary>When set, a repeat of the same request replays the first result instead of writing again.</summary>
    public WriteIdempotency? Idempotency { get; init; }
}
