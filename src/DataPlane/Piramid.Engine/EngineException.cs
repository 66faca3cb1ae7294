using Piramid.Contracts.Problems;

namespace Piramid.Engine;

/// <summary>
/// A failure the engine reports to its caller as problem+json: the status, the stable problem type of
/// <see cref="ProblemTypes"/> and a detail that tells the caller what to change. The host maps it 1:1.
/// </summary>
public sealed class EngineException : Exception
{
    private EngineException(int status, string problemType, string title, string detail, Exception? inner = null)
        : base(detail, inner)
    {
        Status = status;
        ProblemType = problemType;
        Title = title;
    }

    /// <summary>HTTP status code.</summary>
    public int Status { get; }

    /// <summary>Problem type URI.</summary>
    public string ProblemType { get; }

    /// <summary>Short human title.</summary>
    public string Title { get; }

    /// <summary>400: the request is malformed or out of limits.</summary>
    public static EngineException Invalid(string detail) =>
        new(400, ProblemTypes.InvalidRequest, "Invalid request", detail);

    /// <summary>400: the filter is malformed.</summary>
    public static EngineException InvalidFilter(string detail, Exception inner) =>
        new(400, ProblemTypes.InvalidFilter, "Invalid filter", detail, inner);

    /// <summary>404: no such resource (or one the caller may not see).</summary>
    public static EngineException NotFound(string detail) =>
        new(404, ProblemTypes.NotFound, "Not found", detail);

    /// <summary>409: conflicts with the current state.</summary>
    public static EngineException Conflict(string detail) =>
        new(409, ProblemTypes.Conflict, "Conflict", detail);

    /// <summary>403: a plan limit is reached.</summary>
    public static EngineException QuotaExceeded(string detail) =>
        new(403, ProblemTypes.QuotaExceeded, "Quota exceeded", detail);

    /// <summary>503: the collection's storage is damaged; it stays closed rather than lose data.</summary>
    public static EngineException CollectionUnavailable(string detail) =>
        new(503, ProblemTypes.CollectionUnavailable, "Collection unavailable", detail);

    /// <summary>507: a write could not be made durable; the engine is read-only until it can write again.</summary>
    public static EngineException InsufficientStorage(string detail, Exception? inner = null) =>
        new(507, ProblemTypes.InsufficientStorage, "Insufficient storage", detail, inner);

    /// <summary>507: the write would take the engine past its memory limit; nothing was stored.</summary>
    public static EngineException InsufficientMemory(string detail, Exception? inner = null) =>
        new(507, ProblemTypes.InsufficientMemory, "Memory limit", detail, inner);
}
