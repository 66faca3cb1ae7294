namespace Piramid.ControlPlane.Data.Entities;

/// <summary>The stored reply of a mutating call made with an <c>Idempotency-Key</c>, replayed on retry.</summary>
public sealed class IdempotencyRecord
{
    /// <summary>Caller (the same key from another caller is another record).</summary>
    public required string Actor { get; set; }

    /// <summary>The client's key.</summary>
    public required string Key { get; set; }

    /// <summary>SHA-256 of method, path and body: a reuse with another request is a 422.</summary>
    public required byte[] RequestHash { get; set; }

    /// <summary>Status of the first reply.</summary>
    public int StatusCode { get; set; }

    /// <summary>Body of the first reply (a created key's secret is never stored: such replies are not replayable).</summary>
    public string? ResponseBody { get; set; }

    /// <summary>When.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
