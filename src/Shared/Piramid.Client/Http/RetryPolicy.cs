using System.Net;

namespace Piramid.Client.Http;

/// <summary>When to retry and how long to wait: the server's <c>Retry-After</c> first, else exponential backoff with jitter.</summary>
internal static class RetryPolicy
{
    /// <summary>429 (rate limited, too many in flight) and 503 (engine starting, control plane away) are worth retrying; nothing else is.</summary>
    public static bool IsRetryable(HttpStatusCode status) => status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable;

    /// <summary>The answer's <c>Retry-After</c> as a wait (seconds or an HTTP date), or null.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>
    /// The wait before attempt <paramref name="attempt"/> + 1, or null when the server asks for longer than
    /// <see cref="PiramidClientOptions.MaxBackoff"/> (waiting would only hide the refusal). Jitter spreads clients
    /// refused together: up to one initial backoff on top of <c>Retry-After</c>, and "equal jitter" (half fixed,
    /// half random) on the exponential backoff.
    /// </summary>
    public static TimeSpan? Delay(int attempt, TimeSpan? retryAfter, PiramidClientOptions options)
    {
        var random = options.Random.NextDouble();
        if (retryAfter is { } asked)
        {
            return asked > options.MaxBackoff ? null : asked + (options.InitialBackoff * random);
        }

        var exponential = options.InitialBackoff * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = exponential > options.MaxBackoff ? options.MaxBackoff : exponential;
        return (capped / 2) + (capped / 2 * random);
    }
}
