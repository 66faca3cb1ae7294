namespace Piramid.Contracts.Problems;

/// <summary>
/// Every problem a Piramid process answers with: one entry per type, with its one title and status. The gateway,
/// the control plane and the engines all answer from here, so the same mistake reads the same everywhere.
/// </summary>
public static class ProblemCatalog
{
    /// <summary>The request is malformed or violates a limit; the detail names the field (400).</summary>
    public static readonly ProblemKind InvalidRequest = new(ProblemTypes.InvalidRequest, "Invalid request", 400);

    /// <summary>The filter expression is malformed (400).</summary>
    public static readonly ProblemKind InvalidFilter = new(ProblemTypes.InvalidFilter, "Invalid filter", 400);

    /// <summary>No credential, or an invalid, expired or revoked one (401).</summary>
    public static readonly ProblemKind Unauthorized = new(ProblemTypes.Unauthorized, "Unauthorized", 401);

    /// <summary>A valid principal that may not do this (403).</summary>
    public static readonly ProblemKind Forbidden = new(ProblemTypes.Forbidden, "Forbidden", 403);

    /// <summary>A plan quota is reached (403).</summary>
    public static readonly ProblemKind QuotaExceeded = new(ProblemTypes.QuotaExceeded, "Quota exceeded", 403);

    /// <summary>The tenant's payment is past due beyond the plan's grace: writes are refused (402).</summary>
    public static readonly ProblemKind PaymentRequired = new(ProblemTypes.PaymentRequired, "Payment required", 402);

    /// <summary>The tenant is suspended by an operator (403).</summary>
    public static readonly ProblemKind TenantSuspended = new(ProblemTypes.TenantSuspended, "Tenant suspended", 403);

    /// <summary>No such resource or route, or it belongs to someone else (404).</summary>
    public static readonly ProblemKind NotFound = new(ProblemTypes.NotFound, "Not found", 404);

    /// <summary>The path does not serve this method; <c>Allow</c> lists those it does (405).</summary>
    public static readonly ProblemKind MethodNotAllowed = new(ProblemTypes.MethodNotAllowed, "Method not allowed", 405);

    /// <summary>The request arrived too slowly (408).</summary>
    public static readonly ProblemKind RequestTimeout = new(ProblemTypes.RequestTimeout, "Request timeout", 408);

    /// <summary>The resource exists with other settings, or its state forbids the call (409).</summary>
    public static readonly ProblemKind Conflict = new(ProblemTypes.Conflict, "Conflict", 409);

    /// <summary>A body without a length where one is required (411).</summary>
    public static readonly ProblemKind LengthRequired = new(ProblemTypes.LengthRequired, "Length required", 411);

    /// <summary>The body is larger than allowed (413).</summary>
    public static readonly ProblemKind PayloadTooLarge = new(ProblemTypes.PayloadTooLarge, "Payload too large", 413);

    /// <summary>The request target is too long (414).</summary>
    public static readonly ProblemKind UriTooLong = new(ProblemTypes.UriTooLong, "URI too long", 414);

    /// <summary>The body is not JSON (415).</summary>
    public static readonly ProblemKind UnsupportedMediaType = new(ProblemTypes.UnsupportedMediaType, "Unsupported media type", 415);

    /// <summary>An <c>Idempotency-Key</c> reused with a different request (422).</summary>
    public static readonly ProblemKind IdempotencyKeyReused = new(ProblemTypes.IdempotencyKeyReused, "Idempotency key reused", 422);

    /// <summary>A backup object is tampered with, truncated or missing: the problem names it in <c>object</c> (422).</summary>
    public static readonly ProblemKind BackupCorrupted = new(ProblemTypes.BackupCorrupted, "Backup corrupted", 422);

    /// <summary>Too many requests, or too many in flight; <c>Retry-After</c> says when to retry (429).</summary>
    public static readonly ProblemKind RateLimited = new(ProblemTypes.RateLimited, "Too many requests", 429);

    /// <summary>The request headers are too large (431).</summary>
    public static readonly ProblemKind HeadersTooLarge = new(ProblemTypes.HeadersTooLarge, "Request headers too large", 431);

    /// <summary>An unexpected server fault; never a caller's mistake (500).</summary>
    public static readonly ProblemKind Internal = new(ProblemTypes.Internal, "Internal error", 500);

    /// <summary>A method or framing implemented nowhere (501).</summary>
    public static readonly ProblemKind NotImplemented = new(ProblemTypes.NotImplemented, "Not implemented", 501);

    /// <summary>A platform service behind the gateway cannot be reached (503).</summary>
    public static readonly ProblemKind ServiceUnavailable = new(ProblemTypes.ServiceUnavailable, "Service unavailable", 503);

    /// <summary>The tenant's engine is starting, stopping or cannot be started (503).</summary>
    public static readonly ProblemKind EngineUnavailable = new(ProblemTypes.EngineUnavailable, "Engine unavailable", 503);

    /// <summary>The collection is closed after storage damage (503).</summary>
    public static readonly ProblemKind CollectionUnavailable = new(ProblemTypes.CollectionUnavailable, "Collection unavailable", 503);

    /// <summary>An HTTP version the server does not speak (505).</summary>
    public static readonly ProblemKind HttpVersionNotSupported = new(ProblemTypes.HttpVersionNotSupported, "HTTP version not supported", 505);

    /// <summary>A write could not be made durable; read-only until space returns (507).</summary>
    public static readonly ProblemKind InsufficientStorage = new(ProblemTypes.InsufficientStorage, "Insufficient storage", 507);

    /// <summary>A write would pass the engine's memory limit; nothing was stored (507).</summary>
    public static readonly ProblemKind InsufficientMemory = new(ProblemTypes.InsufficientMemory, "Insufficient memory", 507);

    /// <summary>Every entry, in status order.</summary>
    public static IReadOnlyList<ProblemKind> All { get; } =
    [
        InvalidRequest, InvalidFilter, Unauthorized, PaymentRequired, Forbidden, QuotaExceeded, TenantSuspended, NotFound, MethodNotAllowed,
        RequestTimeout, Conflict, LengthRequired, PayloadTooLarge, UriTooLong, UnsupportedMediaType, IdempotencyKeyReused, BackupCorrupted,
        RateLimited, HeadersTooLarge, Internal, NotImplemented, ServiceUnavailable, EngineUnavailable, CollectionUnavailable,
        HttpVersionNotSupported, InsufficientStorage, InsufficientMemory,
    ];

    private static readonly Dictionary<string, ProblemKind> ByType = All.ToDictionary(k => k.Type, StringComparer.Ordinal);

    /// <summary>The entry with this type URI, or null for a type outside the catalogue.</summary>
    public static ProblemKind? FindByType(string? type) => type is not null && ByType.TryGetValue(type, out var kind) ? kind : null;

    /// <summary>
    /// The kind for a bare status the framework produced (an unknown route, a wrong method): the first entry with
    /// that status, else <see cref="InvalidRequest"/> for any other 4xx and <see cref="Internal"/> for the rest.
    /// </summary>
    public static ProblemKind ForStatus(int status) =>
        All.FirstOrDefault(k => k.Status == status) ?? (status is >= 400 and < 500 ? InvalidRequest : Internal);
}
