namespace Piramid.Contracts.Admin;

/// <summary>
/// Refused requests of one kind from one client within a report's interval. Never carries a secret or a path:
/// a flood of long paths costs one counter, not its bytes.
/// </summary>
public sealed class AuthFailureCount
{
    /// <summary>
    /// Why: <c>missing</c>, <c>malformed</c>, <c>invalid</c> (unknown, revoked, expired or wrong secret), <c>token</c>,
    /// <c>rate_limited</c> (the client address's budget for unauthenticated requests was spent), or <c>forbidden</c>
    /// (a valid credential of the wrong kind for the route: 403).
    /// </summary>
    public required string Reason { get; set; }

    /// <summary>The client's address as the gateway saw it.</summary>
    public string? RemoteAddress { get; set; }

    /// <summary>The presented key's public id when the key was well-formed.</summary>
    public string? KeyId { get; set; }

    /// <summary>How many requests were refused this way (at least 1).</summary>
    public long Count { get; set; }

    /// <summary>The first of them.</summary>
    public DateTimeOffset FirstSeen { get; set; }

    /// <summary>The last of them.</summary>
    public DateTimeOffset LastSeen { get; set; }

    /// <summary>The request id (<c>X-Request-Id</c>) the first refusal's answer carried.</summary>
    public string? FirstRequestId { get; set; }

    /// <summary>The request id the last refusal's answer carried (the audit event's <c>request_id</c>).</summary>
    public string? LastRequestId { get; set; }
}
