namespace Piramid.Client;

/// <summary>Where the client connects, with which key, and how it retries.</summary>
public sealed class PiramidClientOptions
{
    /// <summary>The gateway's address, e.g. <c>http://127.0.0.1:8080</c>.</summary>
    public required Uri BaseAddress { get; init; }

    /// <summary>The tenant's API key (<c>pk_...</c>), sent as <c>Authorization: Bearer</c>.</summary>
    public required string ApiKey { get; init; }

    /// <summary>Attempts per request, the first included (default 4); 1 disables retries.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>Backoff before the first retry when the answer has no <c>Retry-After</c> (default 200 ms); doubles per retry.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest wait between two attempts (default 30 s). A longer <c>Retry-After</c> is not waited for: the error is thrown.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time source of the backoff waits (tests advance a fake one).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Source of the jitter; seed it for reproducible waits.</summary>
    public Random Random { get; init; } = Random.Shared;

    /// <summary>Throws when a setting cannot work, naming it.</summary>
    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(BaseAddress);
        if (!BaseAddress.IsAbsoluteUri)
        {
            throw new ArgumentException($"{nameof(BaseAddress)} must be an absolute URI; got '{BaseAddress}'.", nameof(BaseAddress));
        }

        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            throw new ArgumentException($"{nameof(ApiKey)} is required.", nameof(ApiKey));
        }

        if (MaxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, $"{nameof(MaxAttempts)} must be at least 1.");
        }

        if (InitialBackoff < TimeSpan.Zero || MaxBackoff < InitialBackoff)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBackoff), MaxBackoff, $"{nameof(InitialBackoff)} must be non-negative and at most {nameof(MaxBackoff)}.");
        }
    }
}
