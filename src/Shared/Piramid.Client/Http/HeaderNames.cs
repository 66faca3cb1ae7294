namespace Piramid.Client.Http;

/// <summary>Header names the client sends and reads (the client ships alone, so it does not depend on Piramid.Contracts).</summary>
internal static class HeaderNames
{
    public const string IdempotencyKey = "Idempotency-Key";
    public const string RetryAfter = "Retry-After";
    public const string RequestId = "X-Request-Id";
}
