namespace Piramid.Engine;

/// <summary>
/// What kind of failure an <see cref="EngineException"/> is, in the engine's own terms. A host maps each kind to
/// its protocol (the HTTP host to a problem of the catalogue); the engine knows no status codes.
/// </summary>
public enum EngineErrorKind
{
    /// <summary>The request is malformed or out of limits; the message names the field.</summary>
    InvalidArgument,

    /// <summary>The filter expression is malformed; the message names its JSON path.</summary>
    InvalidFilter,

    /// <summary>No such collection or point.</summary>
    NotFound,

    /// <summary>The request conflicts with the current state (a collection exists with other settings).</summary>
    Conflict,

    /// <summary>A plan limit (collections, points) is reached.</summary>
    QuotaExceeded,

    /// <summary>The collection is closed because its storage is damaged; nothing was dropped.</summary>
    Unavailable,

    /// <summary>A write could not be logged or made durable; the engine is read-only until storage recovers.</summary>
    InsufficientStorage,

    /// <summary>The write would take the engine past its memory limit; nothing was stored.</summary>
    InsufficientMemory,

    /// <summary>An idempotency key was used before for a different request; nothing was written.</summary>
    IdempotencyKeyReused,
}
