namespace Piramid.Contracts.Routes;

/// <summary>
/// The data-plane routes that take <see cref="HeaderNames.IdempotencyKey"/>, and what the header means on them: the
/// one place the engine (which honours it) and the OpenAPI document (which describes it) read.
/// </summary>
public static class IdempotentRoutes
{
    /// <summary>Longest key, in characters.</summary>
    public const int MaxKeyLength = 255;

    /// <summary>The header's syntax: 1 to 255 printable ASCII characters.</summary>
    public const string KeyPattern = "^[\\x20-\\x7E]{1,255}$";

    /// <summary>
    /// True when <paramref name="key"/> is a well-formed <c>Idempotency-Key</c>: 1 to <see cref="MaxKeyLength"/>
    /// printable ASCII characters (<see cref="KeyPattern"/>). Every process that honours the header (the engine's point
    /// writes, the control plane's admin writes) checks it with this.
    /// </summary>
    public static bool IsValidKey(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > MaxKeyLength)
        {
            return false;
        }

        foreach (var c in key)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The header's description on these routes.</summary>
    public const string HeaderDescription =
        "Makes the write idempotent for 24 hours: a retry with the same key and the same method, path and body replays the " +
        "first answer (same count and lsn, nothing written twice); the same key with another request is a 422 " +
        "idempotency-key-reused. 1 to 255 printable ASCII characters; keys are per collection and path.";

    /// <summary>The engine routes the route table marks idempotent: upsert, update and delete of points.</summary>
    public static IReadOnlyList<PublicRoute> All { get; } = [.. PublicRoutes.Engine.Where(r => r.Idempotent)];
}
