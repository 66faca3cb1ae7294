namespace Piramid.Contracts.Problems;

/// <summary>
/// Stable problem+json <c>type</c> URIs (RFC 9457). Clients switch on these, so they never change;
/// add new ones instead.
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
