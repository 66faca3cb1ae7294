namespace Piramid.Contracts.Problems;

/// <summary>
/// Stable problem+json <c>type</c> URIs (RFC 9457). Clients switch on these, so they never change;
/// add new ones instead. Each one's title and status live in <see cref="ProblemCatalog"/>.
/// </summary>
public static class ProblemTypes
{
    /// <summary>Prefix of every Piramid problem type.</summary>
    public const string Base = "https://piramid.dev/problems/";

    /// <summary>The request is malformed or violates a limit (400).</summary>
    public const string InvalidRequest = Base + "invalid-request";

    /// <summary>The filter expression is malformed (400).</summary>
    public const string InvalidFilter = Base + "invalid-filter";

    /// <summary>No credential, or an invalid, expired or revoked one (401).</summary>
    public const string Unauthorized = Base + "unauthorized";

    /// <summary>A valid principal that may not do this (403).</summary>
    public const string Forbidden = Base + "forbidden";

    /// <summary>The path exists but does not serve this HTTP method (405).</summary>
    public const string MethodNotAllowed = Base + "method-not-allowed";

    /// <summary>The request headers or body arrived too slowly (408).</summary>
    public const string RequestTimeout = Base + "request-timeout";

    /// <summary>A body without a length where one is required (411).</summary>
    public const string LengthRequired = Base + "length-required";

    /// <summary>The request target is longer than the server accepts (414).</summary>
    public const string UriTooLong = Base + "uri-too-long";

    /// <summary>An <c>Idempotency-Key</c> reused with a different request (422).</summary>
    public const string IdempotencyKeyReused = Base + "idempotency-key-reused";

    /// <summary>A backup object failed its SHA-256 or size check, or is missing (422).</summary>
    public const string BackupCorrupted = Base + "backup-corrupted";

    /// <summary>A method or framing the server implements nowhere (501).</summary>
    public const string NotImplemented = Base + "not-implemented";

    /// <summary>An HTTP version the server does not speak (505).</summary>
    public const string HttpVersionNotSupported = Base + "http-version-not-supported";

    /// <summary>The tenant's payment is past due beyond the plan's grace: writes are refused, reads go on (402).</summary>
    public const string PaymentRequired = Base + "payment-required";

    /// <summary>A plan quota is reached (403).</summary>
    public const string QuotaExceeded = Base + "quota-exceeded";

    /// <summary>The resource does not exist, or belongs to someone else (404).</summary>
    public const string NotFound = Base + "not-found";

    /// <summary>The resource already exists with other settings, or the state forbids the call (409).</summary>
    public const string Conflict = Base + "conflict";

    /// <summary>The request body is larger than allowed (413).</summary>
    public const string PayloadTooLarge = Base + "payload-too-large";

    /// <summary>The body is not JSON (415).</summary>
    public const string UnsupportedMediaType = Base + "unsupported-media-type";

    /// <summary>Too many requests (429).</summary>
    public const string RateLimited = Base + "rate-limited";

    /// <summary>The collection's storage is damaged and it is closed until an operator acts (503).</summary>
    public const string CollectionUnavailable = Base + "collection-unavailable";

    /// <summary>The engine is starting or stopping (503).</summary>
    public const string EngineUnavailable = Base + "engine-unavailable";

    /// <summary>The tenant is suspended by an operator: requests are refused, data is kept (403).</summary>
    public const string TenantSuspended = Base + "tenant-suspended";

    /// <summary>A platform service behind the gateway (the control plane) cannot be reached (503).</summary>
    public const string ServiceUnavailable = Base + "service-unavailable";

    /// <summary>The request headers are larger than the gateway accepts (431).</summary>
    public const string HeadersTooLarge = Base + "headers-too-large";

    /// <summary>A write could not be made durable; the engine is read-only until it can write again (507).</summary>
    public const string InsufficientStorage = Base + "insufficient-storage";

    /// <summary>A write would take the tenant's engine past its memory limit; nothing was stored (507).</summary>
    public const string InsufficientMemory = Base + "insufficient-memory";

    /// <summary>An unexpected server fault (500). Never used for a caller's mistake.</summary>
    public const string Internal = Base + "internal";
}
