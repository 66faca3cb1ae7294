namespace Piramid.Engine;

/// <summary>
/// A failure the engine reports to its caller: a <see cref="EngineErrorKind"/> and a message that tells the
/// caller what to change. No transport in it: the host maps the kind (the HTTP host to problem+json).
/// </summary>
public sealed class EngineException : Exception
{
    private EngineException(EngineErrorKind kind, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
    }

    /// <summary>What kind of failure this is.</summary>
    public EngineErrorKind Kind { get; }

    /// <summary>The request is malformed or out of limits.</summary>
    public static EngineException Invalid(string detail) => new(EngineErrorKind.InvalidArgument, detail);

    /// <summary>The filter is malformed.</summary>
    public static EngineException InvalidFilter(string detail, Exception inner) => new(EngineErrorKind.InvalidFilter, detail, inner);

    /// <summary>No such resource.</summary>
    public static EngineException NotFound(string detail) => new(EngineErrorKind.NotFound, detail);

    /// <summary>Conflicts with the current state.</summary>
    public static EngineException Conflict(string detail) => new(EngineErrorKind.Conflict, detail);

    /// <summary>A plan limit is reached.</summary>
    public static EngineException QuotaExceeded(string detail) => new(EngineErrorKind.QuotaExceeded, detail);

    /// <summary>The collection's storage is damaged; it stays closed rather than lose data.</summary>
    public static EngineException CollectionUnavailable(string detail) => new(EngineErrorKind.Unavailable, detail);

    /// <summary>A write could not be made durable; the engine is read-only until it can write again.</summary>
    public static EngineException InsufficientStorage(string detail, Exception? inner = null) =>
        new(EngineErrorKind.InsufficientStorage, detail, inner);

    /// <summary>The write would take the engine past its memory limit; nothing was stored.</summary>
    public static EngineException InsufficientMemory(string detail, Exception? inner = null) =>
        new(EngineErrorKind.InsufficientMemory, detail, inner);

    /// <summary>The idempotency key was used before for a different request.</summary>
    public static EngineException IdempotencyKeyReused(string detail) => new(EngineErrorKind.IdempotencyKeyReused, detail);

    /// <summary>True for the kinds that blame the request itself (a client must change it before retrying).</summary>
    public bool IsInvalidInput => Kind is EngineErrorKind.InvalidArgument or EngineErrorKind.InvalidFilter;
}
