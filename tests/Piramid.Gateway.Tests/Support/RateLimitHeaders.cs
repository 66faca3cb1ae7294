using System.Globalization;
using System.Net.Http;

namespace Piramid.Gateway.Tests.Support;

/// <summary>The rate-limit headers docs/API.md names, as the tests check them.</summary>
public static class RateLimitHeaders
{
    /// <summary>The headers' names.</summary>
    public static readonly string[] Names = ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"];

    /// <summary>The three headers, once each, each a non-negative integer, and a limit of at least one.</summary>
    public static void AssertPresent(HttpResponseMessage response, string why)
    {
        ArgumentNullException.ThrowIfNull(response);
        foreach (var name in Names)
        {
            Assert.True(response.Headers.TryGetValues(name, out var values), $"no {name}: {why}");
            Assert.True(long.TryParse(values.Single(), NumberStyles.None, CultureInfo.InvariantCulture, out _), $"{name}: {string.Join(",", values)}: {why}");
        }

        Assert.True(long.Parse(response.Headers.GetValues("RateLimit-Limit").Single(), CultureInfo.InvariantCulture) >= 1, why);
    }
}
