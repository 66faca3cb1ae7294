namespace Piramid.Contracts.Admin;

/// <summary>One refused credential at the gateway. Never carries a secret: at most the key's public id.</summary>
public sealed class AuthFailure
{
    /// <summary>When it was refused.</summary>
    public DateTimeOffset Time { get; set; }

    /// <summary>The client's address as the gateway saw it.</summary>
    public string? RemoteAddress { get; set; }

    /// <summary>The presented key's public id when the key was well-formed.</summary>
    public string? KeyId { get; set; }

    /// <summary>Why: <c>missing</c>, <c>malformed</c>, <c>invalid</c> (unknown, revoked, expired or wrong secret), <c>token</c>.</summary>
    public required string Reason { get; set; }

    /// <summary>HTTP method.</summary>
    public required string Method { get; set; }

    /// <summary>Request path (no query string).</summary>
    public required string Path { get; set; }
}
