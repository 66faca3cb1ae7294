using Piramid.Contracts.Problems;
using Piramid.Engine;
using Piramid.ServiceDefaults;

namespace Piramid.DataPlane.Api;

/// <summary>
/// The HTTP host's reading of the engine's failures: each <see cref="EngineErrorKind"/> is one problem of the
/// catalogue (type, title, status), so the engine library stays free of HTTP and another host can map it its way.
/// </summary>
internal static class EngineProblems
{
    /// <summary>The catalogue entry an engine failure of <paramref name="kind"/> answers with.</summary>
    public static ProblemKind KindOf(EngineErrorKind kind) => kind switch
    {
        EngineErrorKind.InvalidArgument => ProblemCatalog.InvalidRequest,
        EngineErrorKind.InvalidFilter => ProblemCatalog.InvalidFilter,
        EngineErrorKind.NotFound => ProblemCatalog.NotFound,
        EngineErrorKind.Conflict => ProblemCatalog.Conflict,
        EngineErrorKind.QuotaExceeded => ProblemCatalog.QuotaExceeded,
        EngineErrorKind.Unavailable => ProblemCatalog.CollectionUnavailable,
        EngineErrorKind.InsufficientStorage => ProblemCatalog.InsufficientStorage,
        EngineErrorKind.InsufficientMemory => ProblemCatalog.InsufficientMemory,
        EngineErrorKind.IdempotencyKeyReused => ProblemCatalog.IdempotencyKeyReused,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "An engine error kind without a problem."),
    };

    /// <summary>The problem+json result for an engine failure; no server path reaches the caller.</summary>
    public static IResult For(EngineException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return ProblemResults.For(KindOf(e.Kind), ServerPaths.Redact(e.Message));
    }
}
